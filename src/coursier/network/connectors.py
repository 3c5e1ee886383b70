"""The connectors a process reaches the outside world with, built once (`coursier.runtime`) and
passed to whoever needs them: the API's requests, the jobs (`coursier.jobs.app.task_connectors`)."""

from dataclasses import dataclass

from coursier.network.mail import SandboxMailbox
from coursier.network.peers.as4 import As4Endpoint
from coursier.network.peers.smp import SmpPublisher
from coursier.network.peers.transport import PeerTransport
from coursier.network.ppf import PPF
from coursier.network.ppf_flows import FlowExchange


@dataclass(frozen=True)
class Connectors:
    ppf: PPF  # the directory API (legal units, establishments, routing codes, lines)
    flows: FlowExchange  # flows to and from the PPF (SFTP)
    peers: PeerTransport  # delivery to the other platforms
    mailbox: SandboxMailbox  # the sandbox's development mailbox (e-mail without SMTP)
    as4: As4Endpoint | None = None  # receiving over AS4, when the platforms talk Peppol AS4
    smp: SmpPublisher | None = None  # the SMP this platform publishes its participants in, if it has one
