"""In which order invoice statuses may follow one another, and what a party's status must carry.

What each status is (who sets it, its reasons, comments, requested actions) lives in
`model.lifecycle`, with its sources. The sequence: the DG gives no transition matrix. It says a
refused (210) or rejected (213) invoice is cancelled by the seller with an internal credit note
(DG §3.6.4). XP Z12-014 as implementations read it: nothing follows 210 or 213; 209 answers a 208;
disagreement is a 207, not a 210. The rest of `BUYER_MOVES` is Coursier's choice, each marked where
it is made.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from coursier.model.lifecycle import (
    ALLOWED_REASONS,
    COMMENT_REQUIRED,
    EMITTERS,
    REASON_REQUIRED,
    Emitter,
    InvoiceStatus,
    RequestedAction,
)

S = InvoiceStatus
# The two parties; a status set through the API comes from one of them.
PARTIES = (Emitter.BUYER, Emitter.SELLER)

# The buyer's processing state is its latest processing status; `None` is "made available, nothing yet".
# Each entry: what the buyer may set next. Coursier's choices (the texts are silent) are marked.
BUYER_MOVES: dict[InvoiceStatus | None, frozenset[InvoiceStatus]] = {
    None: frozenset(
        {
            S.ACKNOWLEDGED,
            S.APPROVED,
            S.PARTIALLY_APPROVED,
            S.IN_DISPUTE,
            S.SUSPENDED,
            S.REFUSED,
            S.PAYMENT_TRANSMITTED,
            S.ENDORSED,
        }
    ),  # fmt: skip
    # Taken in charge, endorsed, completed (209 answered the 208): the decision is still open. (choice)
    S.ACKNOWLEDGED: frozenset(
        {S.APPROVED, S.PARTIALLY_APPROVED, S.IN_DISPUTE, S.SUSPENDED, S.REFUSED, S.PAYMENT_TRANSMITTED, S.ENDORSED}
    ),  # fmt: skip
    S.ENDORSED: frozenset(
        {S.APPROVED, S.PARTIALLY_APPROVED, S.IN_DISPUTE, S.SUSPENDED, S.REFUSED, S.PAYMENT_TRANSMITTED}
    ),  # fmt: skip
    S.COMPLETED: frozenset(
        {S.APPROVED, S.PARTIALLY_APPROVED, S.IN_DISPUTE, S.SUSPENDED, S.REFUSED, S.PAYMENT_TRANSMITTED}
    ),  # fmt: skip
    # A dispute may be updated (a new 207), settled (205/206) or end in a refusal. (choice)
    S.IN_DISPUTE: frozenset(
        {S.APPROVED, S.PARTIALLY_APPROVED, S.IN_DISPUTE, S.SUSPENDED, S.REFUSED, S.PAYMENT_TRANSMITTED}
    ),  # fmt: skip
    # Suspended: the buyer waits for the seller's 209; it may still dispute or refuse. (choice)
    S.SUSPENDED: frozenset({S.IN_DISPUTE, S.REFUSED}),
    # Approved: no going back to a refusal (disagreement is a 207); payment follows. (choice)
    S.APPROVED: frozenset({S.IN_DISPUTE, S.PAYMENT_TRANSMITTED}),
    S.PARTIALLY_APPROVED: frozenset({S.APPROVED, S.IN_DISPUTE, S.PAYMENT_TRANSMITTED}),
    # Paid (maybe in part): further payments, or a dispute found later. (choice)
    S.PAYMENT_TRANSMITTED: frozenset({S.IN_DISPUTE, S.PAYMENT_TRANSMITTED}),
    # Nothing follows a refusal (XP Z12-014; DG §3.6.4: the seller cancels it in its books).
    S.REFUSED: frozenset(),
}
_BUYER_PROCESSING = frozenset(state for state in BUYER_MOVES if state is not None)
# After these nothing more happens on the invoice for the buyer, nor a collection for the seller.
_ENDED = {
    S.REFUSED: "LC-REFUSED-FINAL",
    S.REJECTED: "LC-REJECTED-FINAL",
    S.CANCELLED: "LC-CANCELLED-FINAL",
}


@dataclass(frozen=True)
class PastStatus:
    status: InvoiceStatus
    side: Emitter  # the party it came from, or the platform


class MoveRefused(Exception):
    """The lifecycle's rules do not allow this status now; `rule` is the stable id of the rule."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def check_move(status: InvoiceStatus, side: Emitter, history: Iterable[PastStatus]) -> None:
    """Raise MoveRefused unless party `side` may set `status` on an invoice whose statuses so far are
    `history` (both sides', oldest first)."""
    history = list(history)
    emitter = EMITTERS.get(status, Emitter.PLATFORM)
    if emitter is Emitter.PLATFORM:
        raise MoveRefused("LC-PLATFORM-STATUS", f"{int(status)} is set by the platforms, not through a party")
    seller_refund = status == S.PAYMENT_TRANSMITTED and side is Emitter.SELLER  # DG table 8: 211 by the seller too
    if side is not emitter and not seller_refund:
        raise MoveRefused("LC-SIDE", f"{int(status)} is set by the {emitter} side only")
    held = {past.status for past in history}
    for final, rule_id in _ENDED.items():
        if final in held and not _closes_the_books(status, side, final):
            raise MoveRefused(rule_id, f"Nothing more can be set on an invoice once it is {int(final)}")
    if side is Emitter.SELLER and not held & {S.DEPOSITED, S.REJECTED, S.RECEIVED_BY_PLATFORM}:
        # A file refused as unacceptable (501) never became an invoice: nothing to act on. (choice)
        # The buyer's side of an invoice from another platform starts at 202: its issuer's platform
        # accepted it (200) before transmitting it (201; DG §3.6.4 table 8).
        raise MoveRefused("LC-NOT-DEPOSITED", "The seller acts only on an invoice the platform accepted (200)")
    if side is Emitter.BUYER:
        if S.MADE_AVAILABLE not in held:
            raise MoveRefused("LC-NOT-AVAILABLE", "The buyer acts only on an invoice made available to it (203)")
        state = _buyer_state(history)
        if status not in BUYER_MOVES[state]:
            after = f"after {int(state)}" if state is not None else "first"
            raise MoveRefused("LC-BUYER-SEQUENCE", f"{int(status)} cannot come {after}")
        return
    if status == S.COMPLETED and _buyer_state(history) != S.SUSPENDED:
        raise MoveRefused("LC-209-ANSWERS-208", "209 answers a suspension (208) that is still open")
    if seller_refund and S.COLLECTED not in held:
        # The seller's 211 reports money paid back: there must have been a collection. (choice)
        raise MoveRefused("LC-REFUND-NEEDS-COLLECTION", "A seller's 211 (refund) follows a collection (212)")


def moves_allowed(side: Emitter, history: Iterable[PastStatus]) -> list[InvoiceStatus]:
    """The statuses party `side` may set now on an invoice whose statuses so far are `history`: those
    `check_move` lets through, in code order."""
    history = list(history)
    return [status for status in InvoiceStatus if _allows(status, side, history)]


def _allows(status: InvoiceStatus, side: Emitter, history: list[PastStatus]) -> bool:
    try:
        check_move(status, side, history)
    except MoveRefused:
        return False
    return True


def _closes_the_books(status: InvoiceStatus, side: Emitter, final: InvoiceStatus) -> bool:
    """What the seller may still do on an ended invoice: pay back (211) and, after a refusal or a
    rejection, cancel it (220; DG §3.6.4 asks it to cancel the invoice in its books)."""
    if side is not Emitter.SELLER:
        return False
    return status == S.PAYMENT_TRANSMITTED or (status == S.CANCELLED and final != S.CANCELLED)


def _buyer_state(history: list[PastStatus]) -> InvoiceStatus | None:
    """The buyer's latest processing status; a 209 from the seller answers (closes) a 208."""
    state = None
    for past in history:
        if past.side is Emitter.BUYER and past.status in _BUYER_PROCESSING:
            state = past.status
        elif past.status == S.COMPLETED and state == S.SUSPENDED:
            state = S.COMPLETED
    return state


def check_details(status: InvoiceStatus, *, reason_code: str | None, comment: str | None,
                  requested_action: str | None, has_amounts: bool) -> None:  # fmt: skip
    """Raise DetailsRefused unless the status carries what it requires and only what it allows."""
    allowed = sorted(ALLOWED_REASONS.get(status, ()))
    if reason_code is not None and reason_code not in allowed:
        raise DetailsRefused("reason_not_allowed", f"{int(status)} takes these reasons: {', '.join(allowed) or 'none'}",
                             allowed)  # fmt: skip
    if reason_code is None and status in REASON_REQUIRED:
        raise DetailsRefused(
            "reason_required", f"{int(status)} needs a reason code, one of: {', '.join(allowed)}", allowed
        )
    if status in COMMENT_REQUIRED and not (comment or "").strip():
        raise DetailsRefused("comment_required", f"{int(status)} needs a comment saying why (A7 G7.25)")
    if status == S.COLLECTED and not has_amounts:
        raise DetailsRefused("amounts_required", "212 needs the amount collected per VAT rate (A7 G7.45)")
    if status != S.COLLECTED and has_amounts:
        raise DetailsRefused("amounts_not_allowed", f"Only 212 carries amounts, not {int(status)}")
    actions = sorted(action.value for action in RequestedAction)
    if requested_action is not None and requested_action not in actions:
        raise DetailsRefused("requested_action_unknown", f"Requested actions are {', '.join(actions)}", actions)


class DetailsRefused(ValueError):
    def __init__(self, code: str, message: str, allowed: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.allowed = allowed or []
