"""Whether a draft's buyer can receive invoices, asked of the national directory as a deposit asks it.

A draft to a buyer no directory line covers would be numbered, then refused at the deposit
(DEST_INC), using a number of the gap-free series on an invoice that is never issued. The report
says so as a warning (COURSIER-DIRECTORY-01), and finalizing with `send` is refused while it holds.
The directory is asked here, on the request's side: `report.assess` runs in a worker process,
where no network call and no database session belong; the answer joins the report afterwards.
"""

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.kit.errors import Unavailable, Unprocessable
from coursier.model import Invoice
from coursier.network.ppf import PPF
from coursier.services.drafts.report import Assessment, DraftIssue, IssueExplanation
from coursier.services.invoicing.parties import find_recipient, recipient_query
from coursier.validation.rules import RECIPIENT_UNCHECKED, RECIPIENT_UNKNOWN

# The buyer's terms a deposit looks the recipient up by, in the order it tries them.
_BUYER_TERMS = ["BT-49", "BT-47", "BT-46"]
_BUYER_PATH = "buyer.electronic_address"


def with_recipient_check(session: Session, ppf: PPF, assessment: Assessment, settings: Settings) -> Assessment:
    """`assessment` with the directory's answer on its buyer among the warnings (nothing when the
    buyer is found, or while the draft does not fit the model)."""
    invoice = assessment.invoice
    if invoice is None:
        return assessment
    try:
        issue = None if _found(session, ppf, invoice, settings) else _unknown_recipient(invoice)
    except Unavailable as exc:
        issue = _unchecked(exc.message)
    if issue is None:
        return assessment
    report = assessment.report
    return Assessment(report.model_copy(update={"warnings": [*report.warnings, issue]}), invoice)


def require_known_recipient(session: Session, ppf: PPF, invoice: Invoice, settings: Settings) -> None:
    """Refuse (422 `recipient_unknown`) an invoice the deposit would refuse as DEST_INC, before any
    number is taken; raises `Unavailable` (503) when the directory cannot be reached, as the deposit would."""
    if not _found(session, ppf, invoice, settings):
        raise Unprocessable(
            f"{_unknown_message(invoice)} The draft was not finalized and took no number.",
            code="recipient_unknown",
            extra={"rule": RECIPIENT_UNKNOWN.id, "bt": _BUYER_TERMS},
        )


def _found(session: Session, ppf: PPF, invoice: Invoice, settings: Settings) -> bool:
    return find_recipient(session, ppf, invoice, settings) is not None


def _unknown_message(invoice: Invoice) -> str:
    if recipient_query(invoice) is None:
        return (
            "The buyer has no identifier the national directory can be asked with: an electronic address "
            "(BT-49, scheme 0225), a SIREN (BT-47, scheme 0002) or a SIRET (BT-46, scheme 0009)."
        )
    return (
        "No line of the national directory covers the buyer (BT-49, BT-47, BT-46): an invoice sent to it "
        "would be refused (DEST_INC)."
    )


def _unknown_recipient(invoice: Invoice) -> DraftIssue:
    return DraftIssue(
        layer="directory",
        rule=RECIPIENT_UNKNOWN.id,
        severity="warning",
        bt=_BUYER_TERMS,
        path=_BUYER_PATH,
        location=None,
        message=f"{_unknown_message(invoice)} Finalizing with send=true is refused while this holds.",
        explanation=IssueExplanation(
            en="The buyer cannot receive e-invoices yet. Check its electronic address, SIREN and SIRET; "
            "if they are right, the buyer must choose a platform first. You may finalize without sending "
            "and send later.",
            fr="L'acheteur ne peut pas encore recevoir de factures électroniques. Vérifiez son adresse "
            "électronique, son SIREN et son SIRET ; s'ils sont justes, l'acheteur doit d'abord choisir une "
            "plateforme. Vous pouvez finaliser sans envoyer et envoyer plus tard.",
        ),
    )


def _unchecked(reason: str) -> DraftIssue:
    return DraftIssue(
        layer="directory",
        rule=RECIPIENT_UNCHECKED.id,
        severity="warning",
        bt=_BUYER_TERMS,
        path=_BUYER_PATH,
        location=None,
        message=f"Whether the buyer can receive invoices could not be checked: {reason}",
        explanation=None,
    )
