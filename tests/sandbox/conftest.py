"""Conveniences of the sandbox's own tests; the sandbox process itself is `sandbox_server` in
tests/conftest.py, shared with every package that talks to the PPF."""

from collections.abc import Iterator

import httpx
import pytest


@pytest.fixture
def ppf(sandbox_server) -> Iterator[httpx.Client]:
    """The sandbox, as platform 0042."""
    with sandbox_server.client("0042") as client:
        yield client


@pytest.fixture
def competitor(sandbox_server) -> Iterator[httpx.Client]:
    """The sandbox, as platform 0099."""
    with sandbox_server.client("0099") as client:
        yield client


@pytest.fixture
def directory(sandbox_server):
    """The directory API of the sandbox, as platform 0042 with its PISTE token."""
    with sandbox_server.directory("0042") as client:
        yield client


@pytest.fixture
def rival(sandbox_server):
    """The directory API of the sandbox, as platform 0099."""
    with sandbox_server.directory("0099") as client:
        yield client


def _problem_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.fixture
def problem():
    """problem(response, status): the problem document of an error answer, its status and type checked."""
    return _problem_of


@pytest.fixture
def exchange_flow(sandbox_server):
    """exchange_flow(files | name, content) -> the sandbox's 500/501 on it, deposited over SFTP by
    platform 0099 (application code CRS099: no live server collects from its space)."""
    import secrets
    from pathlib import Path

    from coursier.formats.ppf import envelope, flow_status
    from coursier.network.ppf_flows import SFTPFlowExchange, SFTPSettings

    settings = sandbox_server.sftp_settings("CRS099")
    exchange = SFTPFlowExchange(
        SFTPSettings(
            host=settings["ppf_sftp_host"],
            port=settings["ppf_sftp_port"],
            username="CRS099",
            client_key=Path(settings["ppf_sftp_key"]),
            host_key=settings["ppf_sftp_host_key"],
        )
    )

    def new_name(interface: str = envelope.F1_CII) -> str:
        flow_id = envelope.flow_id("CRS099", interface, secrets.randbelow(10**15 - 1) + 1)
        return envelope.Envelope(interface, "CRS099", flow_id).name

    def exchange_flow(files=None, *, name: str | None = None, content: bytes | None = None):
        name = name or new_name()
        content = envelope.pack(files) if content is None else content
        with exchange.open() as space:
            deposited = space.deposit(name, content)
            answers = []
            for collected in space.collectable():
                opened = envelope.parse_name(collected)
                if opened.interface.startswith("C"):
                    [(_, xml)] = envelope.unpack(opened, space.read(collected))
                    answers.append(flow_status.parse(xml))
                    space.remove(collected)
        return deposited, answers

    exchange_flow.new_name = new_name
    exchange_flow.exchange = exchange
    return exchange_flow
