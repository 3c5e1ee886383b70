"""Who may set which invoice status, when, and with what: the lifecycle's rules in one table.

Facts and their sources:
- Emitters: DG §3.6.4 table 8 (200–213); 214, 220, 224–228 from XP Z12-014 as open implementations
  read it (UNCONFIRMED in a primary text, see shared/spec/french-einvoicing.md).
- Reasons allowed per status: BR-FR-CDV-CL-09 (FNFE-MPE CDAR schematron); a reason is required for
  210, 213, 501 (A7 G7.08) and for 206, 207, 208 (BR-FR-CDV-15); a free-text comment for 208 and 210
  (A7 G7.25); amounts per VAT rate for 212 (A7 G7.45, P1.15, P1.18).
- Requested actions (MDT-121): BR-FR-CDV-CL-10.
- Sequence: the DG gives no transition matrix. It says a refused (210) or rejected (213) invoice is
  cancelled by the seller with an internal credit note (DG §3.6.4). XP Z12-014 as implementations
  read it: nothing follows 210 or 213; 209 answers a 208; disagreement is a 207, not a 210. The
  rest of `BUYER_MOVES` is Coursier's choice, each marked where it is made.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from coursier.model.lifecycle import InvoiceStatus


class Side(StrEnum):
    """Which party of an invoice a status comes from: the seller (issuer) or the buyer (recipient),
    each through its platform."""

    SELLER = "seller"
    BUYER = "buyer"


class Emitter(StrEnum):
    ISSUER_PLATFORM = "issuer_platform"  # PDPE / PAE
    RECEIVER_PLATFORM = "receiver_platform"  # PDPR / PAR
    SELLER = "seller"
    BUYER = "buyer"


S = InvoiceStatus
_REASONS_206 = frozenset(
    "AUTRE CMD_ERR SIRET_ERR CODE_ROUTAGE_ERR REF_CT_ABSENT REF_ERR PU_ERR REM_ERR QTE_ERR ART_ERR MODPAI_ERR "
    "QUALITE_ERR LIVR_INCOMP".split()
)
_REASONS_207 = _REASONS_206 | frozenset(
    "COORD_BANC_ERR TX_TVA_ERR MONTANTTOTAL_ERR CALCUL_ERR NON_CONFORME DOUBLON DEST_INC DEST_ERR TRANSAC_INC "
    "EMMET_INC CONTRAT_TERM DOUBLE_FACT ADR_ERR".split()
)
_REASONS_208 = frozenset("JUSTIF_ABS COORD_BANC_ERR CMD_ERR SIRET_ERR CODE_ROUTAGE_ERR REF_CT_ABSENT REF_ERR".split())
# B2B list; the B2G additions apply only when the sender is Chorus Pro (matricule 9999).
_REASONS_210 = frozenset(
    "TX_TVA_ERR MONTANTTOTAL_ERR CALCUL_ERR NON_CONFORME DOUBLON DEST_ERR TRANSAC_INC EMMET_INC CONTRAT_TERM "
    "DOUBLE_FACT CMD_ERR ADR_ERR REF_CT_ABSENT".split()
)
_REASONS_213 = frozenset(
    "MONTANTTOTAL_ERR CALCUL_ERR DOUBLON DEST_INC ADR_ERR REJ_SEMAN REJ_UNI REJ_COH REJ_ADR REJ_CONT_B2G REJ_REF_PJ "
    "REJ_ASS_PJ".split()
)
_REASONS_501 = frozenset(
    "IRR_VIDE_F IRR_TYPE_F IRR_SYNTAX IRR_TAILLE_PJ IRR_NOM_PJ IRR_VID_PJ IRR_EXT_DOC IRR_TAILLE_F IRR_ANTIVIRUS "
    "IRR_NOM_F".split()
)
REQUESTED_ACTIONS = frozenset("NOA PIN NIN CNF CNP CNA OTH".split())


@dataclass(frozen=True)
class StatusRule:
    """What one status is: who emits it and what it must carry."""

    emitters: frozenset[Emitter]
    reasons: frozenset[str] = frozenset()  # the allowed reason codes; empty: the status takes none
    reason_required: bool = False
    comment_required: bool = False
    amounts_required: bool = False
    # Set by a party through the API; the others are the platforms' own (deposit, delivery, checks).
    by_party: bool = True

    def side(self) -> Side | None:
        """The party side a client sets it from; None for the platforms' statuses."""
        if not self.by_party:
            return None
        return Side.BUYER if Emitter.BUYER in self.emitters else Side.SELLER


_PLATFORM_E = frozenset({Emitter.ISSUER_PLATFORM})
_PLATFORM_R = frozenset({Emitter.RECEIVER_PLATFORM})
_BUYER = frozenset({Emitter.BUYER})
_SELLER = frozenset({Emitter.SELLER})

STATUS_RULES: dict[InvoiceStatus, StatusRule] = {
    S.DEPOSITED: StatusRule(_PLATFORM_E, frozenset({"NON_TRANSMISE"}), by_party=False),
    S.TRANSMITTED_BY_PLATFORM: StatusRule(_PLATFORM_E, by_party=False),
    S.RECEIVED_BY_PLATFORM: StatusRule(_PLATFORM_R, by_party=False),
    S.MADE_AVAILABLE: StatusRule(_PLATFORM_R, by_party=False),
    S.ACKNOWLEDGED: StatusRule(_BUYER),
    S.APPROVED: StatusRule(_BUYER),
    S.PARTIALLY_APPROVED: StatusRule(_BUYER, _REASONS_206, reason_required=True),
    S.IN_DISPUTE: StatusRule(_BUYER, _REASONS_207, reason_required=True),
    S.SUSPENDED: StatusRule(_BUYER, _REASONS_208, reason_required=True, comment_required=True),
    S.COMPLETED: StatusRule(_SELLER),
    S.REFUSED: StatusRule(_BUYER, _REASONS_210, reason_required=True, comment_required=True),
    # The buyer has paid, or the seller has paid back (DG table 8): the caller's side decides which.
    S.PAYMENT_TRANSMITTED: StatusRule(_BUYER | _SELLER),
    S.COLLECTED: StatusRule(_SELLER, amounts_required=True),
    S.REJECTED: StatusRule(_PLATFORM_E | _PLATFORM_R, _REASONS_213, reason_required=True, by_party=False),
    S.ENDORSED: StatusRule(_BUYER),
    S.CANCELLED: StatusRule(_SELLER),
    S.ROUTING_ERROR: StatusRule(_PLATFORM_R, frozenset({"ROUTAGE_ERR"}), reason_required=True, by_party=False),
    S.DIRECT_PAYMENT_REQUESTED: StatusRule(_SELLER),
    S.FACTORED: StatusRule(_SELLER),
    S.FACTORED_CONFIDENTIALLY: StatusRule(_SELLER),
    S.PAYMENT_ACCOUNT_CHANGED: StatusRule(_SELLER),
    S.NOT_FACTORED: StatusRule(_SELLER),
    S.UNACCEPTABLE: StatusRule(_PLATFORM_E, _REASONS_501, reason_required=True, by_party=False),
}

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
    side: Side


class MoveRefused(Exception):
    """The lifecycle's rules do not allow this status now; `rule` is the stable id of the rule."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def check_move(status: InvoiceStatus, side: Side, history: Iterable[PastStatus]) -> None:
    """Raise MoveRefused unless `side` may set `status` on an invoice whose statuses so far are
    `history` (both sides', oldest first)."""
    history = list(history)
    rule = STATUS_RULES.get(status)
    if rule is None or not rule.by_party:
        raise MoveRefused("LC-PLATFORM-STATUS", f"{int(status)} is set by the platforms, not through a party")
    if side not in _sides_of(rule):
        raise MoveRefused("LC-SIDE", f"{int(status)} is set by the {_sides_of(rule)[0]} side only")
    held = {past.status for past in history}
    for final, rule_id in _ENDED.items():
        if final in held and not _closes_the_books(status, side, final):
            raise MoveRefused(rule_id, f"Nothing more can be set on an invoice once it is {int(final)}")
    if side is Side.BUYER:
        if S.MADE_AVAILABLE not in held:
            raise MoveRefused("LC-NOT-AVAILABLE", "The buyer acts only on an invoice made available to it (203)")
        state = _buyer_state(history)
        if status not in BUYER_MOVES[state]:
            after = f"after {int(state)}" if state is not None else "first"
            raise MoveRefused("LC-BUYER-SEQUENCE", f"{int(status)} cannot come {after}")
        return
    if status == S.COMPLETED and _buyer_state(history) != S.SUSPENDED:
        raise MoveRefused("LC-209-ANSWERS-208", "209 answers a suspension (208) that is still open")
    if status == S.PAYMENT_TRANSMITTED and S.COLLECTED not in held:
        # The seller's 211 reports money paid back: there must have been a collection. (choice)
        raise MoveRefused("LC-REFUND-NEEDS-COLLECTION", "A seller's 211 (refund) follows a collection (212)")


def _closes_the_books(status: InvoiceStatus, side: Side, final: InvoiceStatus) -> bool:
    """What the seller may still do on an ended invoice: pay back (211) and, after a refusal or a
    rejection, cancel it (220; DG §3.6.4 asks it to cancel the invoice in its books)."""
    if side is not Side.SELLER:
        return False
    return status == S.PAYMENT_TRANSMITTED or (status == S.CANCELLED and final != S.CANCELLED)


def _sides_of(rule: StatusRule) -> list[Side]:
    return [side for side, emitter in ((Side.BUYER, Emitter.BUYER), (Side.SELLER, Emitter.SELLER))
            if emitter in rule.emitters]  # fmt: skip


def _buyer_state(history: list[PastStatus]) -> InvoiceStatus | None:
    """The buyer's latest processing status; a 209 from the seller answers (closes) a 208."""
    state = None
    for past in history:
        if past.side is Side.BUYER and past.status in _BUYER_PROCESSING:
            state = past.status
        elif past.status == S.COMPLETED and state == S.SUSPENDED:
            state = S.COMPLETED
    return state


def check_details(status: InvoiceStatus, *, reason_code: str | None, comment: str | None,
                  requested_action: str | None, has_amounts: bool) -> None:  # fmt: skip
    """Raise DetailsRefused unless the status carries what its rule requires and only what it allows."""
    rule = STATUS_RULES[status]
    if reason_code is not None and reason_code not in rule.reasons:
        allowed = ", ".join(sorted(rule.reasons)) or "none"
        raise DetailsRefused(
            "reason_not_allowed", f"{int(status)} takes these reasons: {allowed}", sorted(rule.reasons)
        )
    if reason_code is None and rule.reason_required:
        raise DetailsRefused("reason_required", f"{int(status)} needs a reason code", sorted(rule.reasons))
    if rule.comment_required and not (comment or "").strip():
        raise DetailsRefused("comment_required", f"{int(status)} needs a comment saying why (A7 G7.25)")
    if rule.amounts_required and not has_amounts:
        raise DetailsRefused("amounts_required", f"{int(status)} needs the amount collected per VAT rate (A7 G7.45)")
    if not rule.amounts_required and has_amounts:
        raise DetailsRefused("amounts_not_allowed", f"Only 212 carries amounts, not {int(status)}")
    if requested_action is not None and requested_action not in REQUESTED_ACTIONS:
        allowed = ", ".join(sorted(REQUESTED_ACTIONS))
        raise DetailsRefused("requested_action_unknown", f"Requested actions are {allowed}", sorted(REQUESTED_ACTIONS))


class DetailsRefused(ValueError):
    def __init__(self, code: str, message: str, allowed: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.allowed = allowed or []
