"""The flow seam (DG §3.4): queue_flow batches files into flows with stable ids, the exchange seals,
deposits once and dispatches what it collects to the handler of each interface or kind."""

from datetime import UTC, datetime, timedelta

import pytest

from coursier.db.ppf_flows import ANSWERED, DEPOSITED, OPEN, SEALED, PPFFlowRepository
from coursier.formats.ppf import envelope, flow_status
from coursier.services import ppf_exchange

# An interface no other test queues on (flows are the platform's, and live tests commit theirs).
INTERFACE = envelope.F6_DIRECTORY


@pytest.fixture(autouse=True)
def batches_of_three(monkeypatch):
    monkeypatch.setitem(ppf_exchange.MAX_OBJECTS, INTERFACE, 3)


def queue(session, *names, subject="s1"):
    return ppf_exchange.queue_flow(
        session,
        interface=INTERFACE,
        files=[(name, b"<a/>") for name in names],
        subject_type="thing",
        subject_ids=[subject],
        application_code="CRS042",
    )


def test_files_join_the_open_flow_until_it_is_full(session):
    first = queue(session, "a.xml", subject="s1")
    assert queue(session, "b.xml", subject="s2") == first and len(first) == 25 and first.startswith("CRS0420634")
    flows = PPFFlowRepository(session)
    flow = flows.get(first)
    assert (flow.state, flow.file_count, flow.subject_ids("thing")) == (OPEN, 2, ["s1", "s2"])
    assert flow.envelope_name == f"{INTERFACE}_CRS042_{first}.tar.gz"
    # A name already in the flow starts the next one; the full one is sealed, packed as it is.
    second = queue(session, "a.xml", subject="s3")
    assert second != first and flows.get(first).state == SEALED
    assert envelope.unpack(envelope.parse_name(flow.envelope_name), flow.envelope) == [
        ("a.xml", b"<a/>"),
        ("b.xml", b"<a/>"),
    ]
    # The third object fills the flow (DG §3.4.6): sealed at once.
    queue(session, "b.xml")
    queue(session, "c.xml")
    assert flows.get(second).state == SEALED and flows.flows_of_subject("thing", "s3", [INTERFACE])[0].flow_id == second


def test_an_unknown_interface_is_refused(session):
    with pytest.raises(ValueError):
        ppf_exchange.queue_flow(
            session, interface="FFE9999A", files=[("a.xml", b"1")], subject_type="t", subject_ids=["1"]
        )


def test_a_flow_waits_an_hour_after_the_last_one_left(session):
    flows = PPFFlowRepository(session)
    earlier = flows.get(queue(session, "a.xml"))
    earlier.state, earlier.deposited_at = DEPOSITED, datetime.now(UTC) - timedelta(minutes=10)
    waiting = queue(session, "b.xml")
    assert waiting not in ppf_exchange.seal_due_flows(session, batch_seconds=3600)
    earlier.deposited_at = datetime.now(UTC) - timedelta(hours=1, seconds=1)
    assert waiting in ppf_exchange.seal_due_flows(session, batch_seconds=3600)


class FakeSpace:
    def __init__(self, held: bool = False) -> None:
        self.held, self.deposited = held, []

    def deposit(self, name, content):
        self.deposited.append(name)
        return not self.held


def test_a_flow_the_ppf_already_holds_counts_as_deposited(session):
    flow_id = queue(session, "a.xml")
    ppf_exchange.seal_due_flows(session, batch_seconds=0)
    space = FakeSpace(held=True)
    while ppf_exchange.deposit_next(session, space) is not None:
        pass
    flow = PPFFlowRepository(session).get(flow_id)
    assert flow.state == DEPOSITED and flow.envelope_name in space.deposited


def test_no_more_flows_leave_in_an_hour_than_allowed(session):
    flows = PPFFlowRepository(session)
    before = flows.deposits_since(datetime.now(UTC) - timedelta(hours=1))
    first, second = queue(session, "a.xml"), queue(session, "a.xml", subject="s2")  # a name taken: two flows
    ppf_exchange.seal_due_flows(session, batch_seconds=0)
    space = FakeSpace()
    assert ppf_exchange.deposit_next(session, space, flows_per_hour=before + 1) == first
    assert ppf_exchange.deposit_next(session, space, flows_per_hour=before + 1) is None  # the hour's quota is used
    assert flows.get(second).state == SEALED and len(space.deposited) == 1
    assert ppf_exchange.deposit_next(session, space, flows_per_hour=before + 2) == second


def answer(flow_id: str, code: int, sequence: int, reasons=()) -> tuple[str, bytes]:
    message = flow_status.FlowStatusMessage("m", flow_id, code, datetime.now(UTC), "0042", tuple(reasons))
    name = envelope.Envelope(
        envelope.answer_interface(INTERFACE), "CRS042", envelope.flow_id("PPF001", INTERFACE, sequence)
    ).name
    return name, envelope.pack([(f"{flow_id}.xml", flow_status.write(message))])


def test_a_flow_status_is_kept_and_handed_over_once(session):
    seen = []
    handlers = {
        "flow_status_handlers": {INTERFACE: lambda s, flow, status: seen.append(status)},
        "message_handlers": {},
    }
    flow_id = queue(session, "a.xml")
    name, content = answer(flow_id, 501, 7_000_001, [("IRR_NOM_F", "a.xml: bad")])
    assert ppf_exchange.collect(session, name, content, **handlers) == ppf_exchange.FLOW_STATUS
    ppf_exchange.collect(session, name, content, **handlers)  # seen again: already handled
    ppf_exchange.collect(session, *answer(flow_id, 500, 7_000_002), **handlers)  # a later answer: the first stands
    [status] = seen
    assert (status.code, status.reasons, status.receivable) == (501, [("IRR_NOM_F", "a.xml: bad")], False)
    flow = PPFFlowRepository(session).get(flow_id)
    assert (flow.state, flow.status_code, flow.reasons) == (ANSWERED, 501, [["IRR_NOM_F", "a.xml: bad"]])


def test_other_messages_go_to_the_handler_of_their_kind(session):
    seen = []
    handlers = {"flow_status_handlers": {}, "message_handlers": {"F14": lambda s, message: seen.append(message)}}
    name = envelope.Envelope(envelope.F14, "CRS042", envelope.flow_id("PPF001", envelope.F14, 8_000_001)).name
    assert ppf_exchange.collect(session, name, envelope.pack([("export.xml", b"<x/>")]), **handlers) == "F14"
    [message] = seen
    assert (message.kind, message.interface, message.files) == ("F14", envelope.F14, [("export.xml", b"<x/>")])
    assert ppf_exchange.collect(session, "junk.bin", b"?", **handlers) == ppf_exchange.UNKNOWN
