"""The two forms of a lifecycle message a platform writes about an invoice: to a peer, to the PPF.

Both refuse, with a `CdarError`, a message the texts would refuse: a status without the reason or
the comment it needs, a 212 without its amounts per VAT rate, a party without what identifies it.
"""

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from coursier.model.lifecycle import (
    ALLOWED_REASONS,
    COMMENT_REQUIRED,
    DOCUMENT_STATUS_CODES,
    MANDATORY,
    PHASES,
    PPF_REJECTION_REASONS,
    REASON_REQUIRED,
    AmountType,
    InvoiceStatus,
    Phase,
)

from .errors import CdarError
from .message import (
    MATRICULE_SCHEME,
    PLATFORM_ROLES,
    BusinessProcess,
    Guideline,
    Identifier,
    InvoiceReference,
    Party,
    PartyRole,
    StatusDetail,
    StatusMessage,
)

_MATRICULE = re.compile(r"\d{4}")  # A7 G7.54


def platform(matricule: str) -> Party:
    """A platform as it sends or issues a message: its matricule, scheme 0238, role WK (A7 G7.47, G7.54)."""
    return Party(PartyRole.PLATFORM, Identifier(_checked_matricule(matricule), MATRICULE_SCHEME))


def issued_by_platform(status: InvoiceStatus) -> bool:
    """A status a platform sets and issues itself (phase 305), rather than a buyer or a seller."""
    return PHASES.get(status) is Phase.TRANSMISSION


def ppf(matricule: str) -> Party:
    """The PPF as a recipient: its matricule, scheme 0238, role DFH (A7 G7.01)."""
    return Party(PartyRole.PPF, Identifier(_checked_matricule(matricule), MATRICULE_SCHEME))


def for_peer(
    status: InvoiceStatus,
    invoice: InvoiceReference,
    *,
    message_id: str,
    platform_matricule: str,
    recipient: Party,
    ppf_matricule: str,
    status_at: datetime,
    issuer: Party | None = None,
    details: Sequence[StatusDetail] = (),
    business_process: BusinessProcess = BusinessProcess.REGULATED,
) -> StatusMessage:
    """The message to the other side of the invoice, through its platform.

    `recipient` is the counterpart: its platform (role WK), or the buyer or seller at its electronic
    address. A mandatory status also names the PPF as a recipient, as the XP Z12-012 example of a
    212 between platforms does (spec/french-einvoicing.md, "CDAR messages").
    `issuer` is who set the status, for the statuses a buyer or seller sets; a platform's status is
    issued by this platform.
    """
    _check_named(recipient, "the recipient")
    if recipient.role not in PLATFORM_ROLES and recipient.electronic_address is None:
        raise CdarError(
            f"the recipient ({recipient.role.value}) needs an electronic address (BR-FR-CDV-08)",
            code=CdarError.PARTY_INCOMPLETE,
        )
    recipients = (recipient, ppf(ppf_matricule)) if status in MANDATORY else (recipient,)
    return _message(
        status,
        invoice,
        Guideline.PEER,
        business_process,
        recipients,
        message_id=message_id,
        platform_matricule=platform_matricule,
        status_at=status_at,
        issuer=issuer,
        details=details,
    )


def for_ppf(
    status: InvoiceStatus,
    invoice: InvoiceReference,
    *,
    message_id: str,
    platform_matricule: str,
    ppf_matricule: str,
    status_at: datetime,
    issuer: Party | None = None,
    details: Sequence[StatusDetail] = (),
) -> StatusMessage:
    """The message that reports a mandatory status to the PPF.

    The PPF is its only recipient (BR-FR-CDV-02) and it has no business process (BR-FR-CDV-CL-01 and
    the XP Z12-012 examples "pour PPF"). `issuer` as in `for_peer`: the seller (role SE) for a 212,
    the buyer (role BY) for a 210, who set them (DG §3.6.4 table 8); none for 200 and 213.
    """
    if status not in MANDATORY:
        raise CdarError(
            f"status {status.value} is not reported to the PPF: only {_codes(MANDATORY)} are (A7 G7.44)",
            code=CdarError.NOT_FOR_PPF,
        )
    return _message(
        status,
        invoice,
        Guideline.PPF,
        None,
        (ppf(ppf_matricule),),
        message_id=message_id,
        platform_matricule=platform_matricule,
        status_at=status_at,
        issuer=issuer,
        details=details,
    )


def ppf_rejection(
    *,
    message_id: str,
    rejected_message_id: str,
    invoice: InvoiceReference,
    platform_matricule: str,
    ppf_matricule: str,
    at: datetime,
    reasons: Sequence[tuple[str, str]],
) -> StatusMessage:
    """The PPF's 601 "Rejeté" on a mandatory status it refused (DG §3.6.8 table 10), to the platform
    that sent it: a message about that status message (A7 G7.14, guideline `messageCDV`), which
    names it by its id (MDT-87) and the invoice's seller (A7 G7.17: a CDV of a CDV names the
    seller's SIREN); each (reason, text) is a detail, its reason from DG §3.6.10 table 12."""
    if not reasons or any(reason not in PPF_REJECTION_REASONS for reason, _ in reasons):
        raise CdarError(
            f"a 601 gives its reasons among {', '.join(sorted(PPF_REJECTION_REASONS))} (A7 G7.08, G7.19)",
            code=CdarError.REASON_NOT_ALLOWED,
        )
    at = at.replace(microsecond=0)
    return StatusMessage(
        message_id=message_id,
        guideline=Guideline.STATUS_MESSAGE,
        business_process=None,
        issued_at=at,
        sender=ppf(ppf_matricule),
        issuer=ppf(ppf_matricule),
        recipients=(platform(platform_matricule),),
        phase=Phase.TRANSMISSION,
        status_at=at,
        invoice=replace(invoice, number=rejected_message_id),
        document_status=None,
        status=InvoiceStatus.REPORT_REJECTED,
        details=tuple(
            StatusDetail(reason=reason, comment=text or None, sequence=number)
            for number, (reason, text) in enumerate(reasons, 1)
        ),
    )


def _message(
    status: InvoiceStatus,
    invoice: InvoiceReference,
    guideline: Guideline,
    business_process: BusinessProcess | None,
    recipients: tuple[Party, ...],
    *,
    message_id: str,
    platform_matricule: str,
    status_at: datetime,
    issuer: Party | None,
    details: Sequence[StatusDetail],
) -> StatusMessage:
    if status not in PHASES:
        raise CdarError(
            f"status {status.value} is about a flow, not an invoice: no invoice lifecycle message carries it",
            code=CdarError.UNSUPPORTED,
        )
    at = status_at.replace(microsecond=0)  # format 204 counts seconds
    message = StatusMessage(
        message_id=message_id,
        guideline=guideline,
        business_process=business_process,
        issued_at=at,
        sender=platform(platform_matricule),
        issuer=_issuer(status, platform_matricule, issuer),
        recipients=recipients,
        phase=PHASES[status],
        status_at=at,
        invoice=invoice,
        document_status=DOCUMENT_STATUS_CODES.get(status),
        status=status,
        details=tuple(replace(detail, sequence=number) for number, detail in enumerate(details, 1)),
    )
    _check_details(message)
    return message


def _issuer(status: InvoiceStatus, platform_matricule: str, issuer: Party | None) -> Party:
    # BR-FR-CDV-CL-03: a platform issues the transmission statuses (305, role WK), a buyer or a seller
    # the processing ones (23, never WK), identified (BR-FR-CDV-07) and named (A7 G7.46).
    if PHASES[status] is Phase.TRANSMISSION:
        if issuer is not None:
            raise CdarError(
                f"status {status.value} is set by this platform: it takes no other issuer", code=CdarError.UNSUPPORTED
            )
        return platform(platform_matricule)
    if issuer is None or issuer.role in PLATFORM_ROLES or issuer.id is None:
        raise CdarError(
            f"status {status.value} is set by the buyer or the seller: give who set it, with its identifier "
            "(BR-FR-CDV-07) and a role other than WK or DFH (BR-FR-CDV-CL-03)",
            code=CdarError.PARTY_INCOMPLETE,
        )
    _check_named(issuer, "the issuer")
    return issuer


def _check_named(party: Party, which: str) -> None:
    if party.role not in PLATFORM_ROLES and not party.name:
        raise CdarError(f"{which} ({party.role.value}) needs a name (A7 G7.46)", code=CdarError.PARTY_INCOMPLETE)


def _check_details(message: StatusMessage) -> None:
    status = message.status
    if status in REASON_REQUIRED and not message.reasons:
        raise CdarError(
            f"status {status.value} needs a reason code (MDT-113; A7 G7.08, BR-FR-CDV-15)",
            code=CdarError.REASON_REQUIRED,
        )
    allowed = ALLOWED_REASONS.get(status)
    for reason in message.reasons:
        if allowed is not None and reason not in allowed:
            raise CdarError(
                f"reason {reason} is not one of status {status.value}'s: {', '.join(sorted(allowed))} "
                "(BR-FR-CDV-CL-09)",
                code=CdarError.REASON_NOT_ALLOWED,
            )
    if status in COMMENT_REQUIRED and not any(detail.comment for detail in message.details):
        raise CdarError(
            f"status {status.value} needs a comment that motivates it (MDT-126; A7 G7.25)",
            code=CdarError.COMMENT_REQUIRED,
        )
    if any(amount.vat_rate is None for amount in message.amounts):
        raise CdarError("every amount gives its VAT rate (MDT-224; A7 P1.18)", code=CdarError.AMOUNTS_REQUIRED)
    if status is InvoiceStatus.COLLECTED:
        collected = [
            (amount.currency, amount.vat_rate) for amount in message.amounts if amount.type_code is AmountType.COLLECTED
        ]
        if not collected or len(set(collected)) != len(collected):
            raise CdarError(
                "a 212 gives the amount collected (MEN) once per VAT rate (MDG-43; BR-FR-CDV-14, A7 G7.45)",
                code=CdarError.AMOUNTS_REQUIRED,
            )


def _checked_matricule(matricule: str) -> str:
    if not _MATRICULE.fullmatch(matricule):
        raise CdarError(
            f"a platform matricule is four digits (A7 G7.54), not {matricule!r}", code=CdarError.INVALID_VALUE
        )
    return matricule


def _codes(statuses: frozenset[InvoiceStatus]) -> str:
    return ", ".join(str(status.value) for status in sorted(statuses))
