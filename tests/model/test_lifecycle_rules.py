"""Every move of the lifecycle table, allowed and refused, written out here independently of the code."""

import pytest

from coursier.model.lifecycle import EMITTERS, Emitter
from coursier.model.lifecycle import InvoiceStatus as S
from coursier.model.lifecycle_rules import (
    BUYER_MOVES,
    DetailsRefused,
    MoveRefused,
    PastStatus,
    check_details,
    check_move,
    moves_allowed,
)

BUYER, SELLER = Emitter.BUYER, Emitter.SELLER
DELIVERED = [PastStatus(S.DEPOSITED, SELLER), PastStatus(S.RECEIVED_BY_PLATFORM, BUYER),
             PastStatus(S.MADE_AVAILABLE, BUYER)]  # fmt: skip

# How the buyer reaches each state (after delivery).
REACHED_BY = {
    "new": [],
    "204": [S.ACKNOWLEDGED],
    "214": [S.ENDORSED],
    "207": [S.IN_DISPUTE],
    "208": [S.SUSPENDED],
    "209": [S.SUSPENDED, "seller:209"],
    "205": [S.APPROVED],
    "206": [S.PARTIALLY_APPROVED],
    "211": [S.APPROVED, S.PAYMENT_TRANSMITTED],
    "210": [S.REFUSED],
}
# What the buyer may set next: x allowed, . refused.
BUYER_COLUMNS = [S.ACKNOWLEDGED, S.APPROVED, S.PARTIALLY_APPROVED, S.IN_DISPUTE, S.SUSPENDED, S.REFUSED,
                 S.PAYMENT_TRANSMITTED, S.ENDORSED]  # fmt: skip
BUYER_TABLE = """
state  204 205 206 207 208 210 211 214
new     x   x   x   x   x   x   x   x
204     .   x   x   x   x   x   x   x
214     .   x   x   x   x   x   x   .
209     .   x   x   x   x   x   x   .
207     .   x   x   x   x   x   x   .
208     .   .   .   x   .   x   .   .
205     .   .   .   x   .   .   x   .
206     .   x   .   x   .   .   x   .
211     .   .   .   x   .   .   x   .
210     .   .   .   .   .   .   .   .
"""


def _history(state: str) -> list[PastStatus]:
    steps = []
    for step in REACHED_BY[state]:
        if isinstance(step, str):
            steps.append(PastStatus(S(int(step.split(":")[1])), SELLER))
        else:
            steps.append(PastStatus(step, BUYER))
    return DELIVERED + steps


def _buyer_cases():
    rows = [line.split() for line in BUYER_TABLE.strip().splitlines()[1:]]
    for state, *marks in rows:
        for status, mark in zip(BUYER_COLUMNS, marks, strict=True):
            yield pytest.param(state, status, mark == "x", id=f"{state}->{int(status)}")


@pytest.mark.parametrize(("state", "status", "allowed"), list(_buyer_cases()))
def test_buyer_moves(state, status, allowed):
    history = _history(state)
    if allowed:
        check_move(status, BUYER, history)
    else:
        with pytest.raises(MoveRefused) as refused:
            check_move(status, BUYER, history)
        assert refused.value.rule == ("LC-REFUSED-FINAL" if state == "210" else "LC-BUYER-SEQUENCE")


@pytest.mark.parametrize("status", BUYER_COLUMNS)
def test_the_buyer_acts_only_on_an_invoice_made_available(status):
    with pytest.raises(MoveRefused) as refused:
        check_move(status, BUYER, DELIVERED[:2])
    assert refused.value.rule == "LC-NOT-AVAILABLE"


@pytest.mark.parametrize(("final", "rule"), [(S.REJECTED, "LC-REJECTED-FINAL"), (S.CANCELLED, "LC-CANCELLED-FINAL")])
@pytest.mark.parametrize("status", BUYER_COLUMNS)
def test_nothing_from_the_buyer_after_a_rejection_or_a_cancellation(final, rule, status):
    with pytest.raises(MoveRefused) as refused:
        check_move(status, BUYER, [*DELIVERED, PastStatus(final, SELLER)])
    assert refused.value.rule == rule


SELLER_CASES = [
    # status, buyer state, extra seller history, expected rule (None: allowed)
    (S.COMPLETED, "208", [], None),
    (S.COMPLETED, "new", [], "LC-209-ANSWERS-208"),
    (S.COMPLETED, "209", [], "LC-209-ANSWERS-208"),
    (S.COLLECTED, "new", [], None),
    (S.COLLECTED, "205", [S.COLLECTED], None),  # several 212: partial payments
    (S.COLLECTED, "210", [], "LC-REFUSED-FINAL"),
    (S.PAYMENT_TRANSMITTED, "new", [], "LC-REFUND-NEEDS-COLLECTION"),
    (S.PAYMENT_TRANSMITTED, "205", [S.COLLECTED], None),
    (S.PAYMENT_TRANSMITTED, "210", [S.COLLECTED], None),
    (S.CANCELLED, "new", [], None),
    (S.CANCELLED, "210", [], None),
    (S.CANCELLED, "new", [S.CANCELLED], "LC-CANCELLED-FINAL"),
    (S.FACTORED, "new", [], None),
    (S.NOT_FACTORED, "210", [], "LC-REFUSED-FINAL"),
]


@pytest.mark.parametrize(("status", "state", "extra", "rule"), SELLER_CASES)
def test_seller_moves(status, state, extra, rule):
    history = _history(state) + [PastStatus(past, SELLER) for past in extra]
    if rule is None:
        check_move(status, SELLER, history)
    else:
        with pytest.raises(MoveRefused) as refused:
            check_move(status, SELLER, history)
        assert refused.value.rule == rule


@pytest.mark.parametrize("status", [S.COLLECTED, S.CANCELLED, S.PAYMENT_TRANSMITTED, S.FACTORED])
def test_the_seller_acts_only_on_an_invoice_the_platform_accepted(status):
    with pytest.raises(MoveRefused) as refused:
        check_move(status, SELLER, [PastStatus(S.UNACCEPTABLE, Emitter.PLATFORM)])
    assert refused.value.rule == "LC-NOT-DEPOSITED"


def test_the_seller_acts_on_an_invoice_its_platform_delivered_elsewhere():
    # The buyer's side of an invoice from another platform begins at 202: its issuer's platform accepted it.
    received_elsewhere = [
        PastStatus(S.RECEIVED_BY_PLATFORM, Emitter.PLATFORM),
        PastStatus(S.MADE_AVAILABLE, Emitter.PLATFORM),
    ]
    check_move(S.COLLECTED, SELLER, received_elsewhere)
    check_move(S.CANCELLED, SELLER, received_elsewhere)


def test_a_collection_after_a_platform_rejection_is_refused():
    with pytest.raises(MoveRefused) as refused:
        check_move(S.COLLECTED, SELLER, [PastStatus(S.DEPOSITED, SELLER), PastStatus(S.REJECTED, BUYER)])
    assert refused.value.rule == "LC-REJECTED-FINAL"


@pytest.mark.parametrize(
    ("status", "side"),
    [(S.COLLECTED, BUYER), (S.CANCELLED, BUYER), (S.COMPLETED, BUYER), (S.FACTORED, BUYER)]
    + [
        (status, SELLER)
        for status in (
            S.ACKNOWLEDGED,
            S.APPROVED,
            S.PARTIALLY_APPROVED,
            S.IN_DISPUTE,
            S.SUSPENDED,
            S.REFUSED,
            S.ENDORSED,
        )
    ],  # fmt: skip
)
def test_each_status_comes_from_its_side_only(status, side):
    with pytest.raises(MoveRefused) as refused:
        check_move(status, side, _history("new"))
    assert refused.value.rule == "LC-SIDE"


@pytest.mark.parametrize(
    "status",
    [
        S.DEPOSITED,
        S.TRANSMITTED_BY_PLATFORM,
        S.RECEIVED_BY_PLATFORM,
        S.MADE_AVAILABLE,
        S.REJECTED,
        S.ROUTING_ERROR,
        S.UNACCEPTABLE,
    ],  # fmt: skip
)
@pytest.mark.parametrize("side", [BUYER, SELLER])
def test_platform_statuses_are_not_set_by_a_party(status, side):
    with pytest.raises(MoveRefused) as refused:
        check_move(status, side, _history("new"))
    assert refused.value.rule == "LC-PLATFORM-STATUS"


def test_every_invoice_status_has_its_emitter_and_every_buyer_status_its_moves():
    # 501 concerns a flow, 601 a status message the PPF refused: neither is an invoice's own.
    assert set(EMITTERS) == set(S) - {S.UNACCEPTABLE, S.REPORT_REJECTED}
    buyer_statuses = {status for status, emitter in EMITTERS.items() if emitter is Emitter.BUYER}
    assert set(BUYER_COLUMNS) == buyer_statuses
    assert set(BUYER_MOVES) - {None} <= buyer_statuses | {S.COMPLETED}


@pytest.mark.parametrize(
    ("status", "details", "code"),
    [
        (S.REFUSED, {"reason_code": None, "comment": "x"}, "reason_required"),
        (S.REFUSED, {"reason_code": "PU_ERR", "comment": "x"}, "reason_not_allowed"),  # a 206/207 reason
        (S.REFUSED, {"reason_code": "DOUBLON", "comment": " "}, "comment_required"),
        (S.SUSPENDED, {"reason_code": "JUSTIF_ABS", "comment": None}, "comment_required"),
        (S.IN_DISPUTE, {"reason_code": None}, "reason_required"),
        (S.PARTIALLY_APPROVED, {"reason_code": "DOUBLON"}, "reason_not_allowed"),  # a 207 reason, not a 206 one
        (S.APPROVED, {"reason_code": "AUTRE"}, "reason_not_allowed"),
        (S.COLLECTED, {"has_amounts": False}, "amounts_required"),
        (S.APPROVED, {"has_amounts": True}, "amounts_not_allowed"),
        (S.APPROVED, {"requested_action": "XYZ"}, "requested_action_unknown"),
    ],
)
def test_details_a_status_must_carry_or_must_not(status, details, code):
    arguments = {"reason_code": None, "comment": None, "requested_action": None, "has_amounts": False} | details
    with pytest.raises(DetailsRefused) as refused:
        check_details(status, **arguments)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("status", "details"),
    [
        (S.REFUSED, {"reason_code": "DOUBLON", "comment": "déjà reçue"}),
        (S.SUSPENDED, {"reason_code": "JUSTIF_ABS", "comment": "bon de livraison", "requested_action": "PIN"}),
        (S.IN_DISPUTE, {"reason_code": "PU_ERR"}),
        (S.COLLECTED, {"has_amounts": True}),
        (S.APPROVED, {}),
    ],
)
def test_details_accepted(status, details):
    arguments = {"reason_code": None, "comment": None, "requested_action": None, "has_amounts": False} | details
    check_details(status, **arguments)


def test_moves_allowed_lists_what_each_side_may_set_now():
    assert moves_allowed(BUYER, DELIVERED) == [S.ACKNOWLEDGED, S.APPROVED, S.PARTIALLY_APPROVED, S.IN_DISPUTE,
                                              S.SUSPENDED, S.REFUSED, S.PAYMENT_TRANSMITTED, S.ENDORSED]  # fmt: skip
    assert moves_allowed(BUYER, [*DELIVERED, PastStatus(S.SUSPENDED, BUYER)]) == [S.IN_DISPUTE, S.REFUSED]
    assert moves_allowed(BUYER, [*DELIVERED, PastStatus(S.REFUSED, BUYER)]) == []
    # The seller: a 209 only to answer a suspension, a refund (211) only after a collection.
    assert S.COMPLETED not in moves_allowed(SELLER, DELIVERED)
    assert S.COMPLETED in moves_allowed(SELLER, [*DELIVERED, PastStatus(S.SUSPENDED, BUYER)])
    assert S.PAYMENT_TRANSMITTED not in moves_allowed(SELLER, DELIVERED)
    assert S.PAYMENT_TRANSMITTED in moves_allowed(SELLER, [*DELIVERED, PastStatus(S.COLLECTED, SELLER)])
    # Never a platform's status; nothing before the platform accepted the invoice.
    assert not set(moves_allowed(SELLER, DELIVERED)) & {s for s, e in EMITTERS.items() if e is Emitter.PLATFORM}
    assert moves_allowed(SELLER, []) == [] and moves_allowed(BUYER, DELIVERED[:1]) == []
