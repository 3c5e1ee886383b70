"""F14, the directory exports (DG §3.5.4): left in every partner's SFTP space as flows of the PPF,
a differential one with the changes since the last, a full one with the lines in force."""

from datetime import UTC, datetime

import pytest

from coursier.formats.ppf import envelope, f14
from coursier.sandbox.exports import next_midnight
from support.directory import create, day


def _export(sandbox_server, kind: str) -> list[str]:
    with sandbox_server.client("0042") as client:
        response = client.post("/sandbox/directory-exports", json={"kind": kind})
    assert response.status_code == 201, response.text
    return response.json()["flows"]


@pytest.fixture
def collect_f14(exchange_flow):
    """collect_f14() -> the F14 exports waiting in CRS099's space (removed once read), oldest first."""

    def collect() -> list[tuple[str, list[f14.Export]]]:
        found = []
        with exchange_flow.exchange.open() as space:
            for name in space.collectable():
                opened = envelope.parse_name(name)
                if opened.interface == envelope.F14:
                    files = envelope.unpack(opened, space.read(name))
                    found.append((name, [f14.parse(content) for _, content in files]))
                    space.remove(name)
        return found

    collect()  # what earlier tests left
    return collect


def _lines_of(exports: list[f14.Export], siren: str) -> list[tuple[int, str]]:
    return [(line.instance_id, line.nature) for export in exports for line in export.lines if line.siren == siren]


def test_each_partner_gets_each_change_once_in_a_differential_export(sandbox_server, directory, company, collect_f14):
    line = create(directory, company.siren, start=2)
    names = _export(sandbox_server, "differential")
    assert [name.split("_")[:2] for name in names] == [["FFE1435A", "CRS042"], ["FFE1435A", "CRS099"]]
    assert all(name.split("_")[2].startswith("PPF001") for name in names)  # the PPF's flow ids (DG §3.4.5)
    [(name, exports)] = collect_f14()
    assert name == names[1] and [export.kind for export in exports] == [f14.DIFFERENTIAL]
    assert _lines_of(exports, company.siren) == [(line["idInstance"], "D")]
    first_until = exports[0].until

    ended = directory.patch(f"/ligne-annuaire/id-instance:{line['idInstance']}", json={"dateFinEffet": day(9)})
    directory.delete(f"/ligne-annuaire/id-instance:{line['idInstance']}")
    _export(sandbox_server, "differential")
    [(_, exports)] = collect_f14()
    changes = _lines_of(exports, company.siren)
    assert changes[0] == (ended.json()["idInstance"], "D") and [nature for _, nature in changes] == ["D", "M"]
    [exported] = [line for export in exports for line in export.lines if line.instance_id == changes[0][0]]
    assert (exported.effective_to.isoformat(), exported.platform_id, exported.address) == (
        day(9),
        "0042",
        company.siren,
    )
    assert exports[0].since == first_until  # each differential export starts where the last one ended


def test_a_full_export_lists_the_current_instance_of_every_line_in_force(
    sandbox_server, directory, rival, company, collect_f14
):
    site = company.establishments[0].siret
    first = create(directory, company.siren, start=1)
    changed = directory.patch(f"/ligne-annuaire/id-instance:{first['idInstance']}", json={"dateFinEffet": day(5)})
    theirs = create(rival, company.siren, siret=site, platform="0099", start=0)
    masked = create(directory, company.siren, suffixeAdressage="GONE", start=3)
    directory.delete(f"/ligne-annuaire/id-instance:{masked['idInstance']}")
    _export(sandbox_server, "full")
    [(_, exports)] = collect_f14()
    assert exports[0].kind == f14.FULL and exports[0].since is None
    assert sorted(_lines_of(exports, company.siren)) == sorted(
        [(changed.json()["idInstance"], "D"), (theirs["idInstance"], "D")]
    )


def test_the_nightly_export_is_at_midnight_in_france():
    assert next_midnight(datetime(2026, 9, 1, 21, 59, tzinfo=UTC)) == datetime(2026, 9, 1, 22, 0, tzinfo=UTC)
    assert next_midnight(datetime(2026, 9, 1, 22, 0, tzinfo=UTC)) == datetime(2026, 9, 2, 22, 0, tzinfo=UTC)
    assert next_midnight(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == datetime(2027, 1, 1, 23, 0, tzinfo=UTC)
