"""CDAR D22B, the syntax of lifecycle messages: `write(message) -> bytes`, `parse(bytes) -> message`.

UN/CEFACT CrossDomainAcknowledgementAndResponse D22B (DG §3.6.4, note 102), with the CII `ram`,
`udt` and `qdt` namespaces. Elements are written in the order of the D22B XSD (pyfrctc's copy).
Date-times are format 204, YYYYMMDDHHMMSS (A7 G7.06), in French time like every date of the
reform (coursier.kit.clock); the invoice date is format 102.

`parse` reads the elements the message type holds and leaves out the informative rest (the status
label MDT-106, a value-changed indicator...); it refuses what is not one readable lifecycle message
about one invoice (A7 P1.14) with a `CdarError` whose code says why.
"""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar

from lxml import etree

from coursier.formats.cii.syntax import QDT, RAM, UDT
from coursier.kit.clock import PARIS
from coursier.kit.xml import InputTooLarge, XMLRejected, parse_xml
from coursier.model.lifecycle import AmountType, InvoiceStatus, Phase, RequestedAction

from .errors import CdarError
from .message import (
    SIREN_SCHEME,
    Amount,
    Guideline,
    Identifier,
    InvoiceReference,
    Party,
    PartyRole,
    StatusDetail,
    StatusMessage,
)

RSM = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
NAMESPACES = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
ROOT = f"{{{RSM}}}CrossDomainAcknowledgementAndResponse"

DATE_TIME_FORMAT = "204"  # A7 G7.06
DATE_FORMAT = "102"
_STRFTIME = {DATE_TIME_FORMAT: "%Y%m%d%H%M%S", DATE_FORMAT: "%Y%m%d"}


def write(message: StatusMessage) -> bytes:
    root = etree.Element(ROOT, nsmap=NAMESPACES)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    if message.business_process is not None:
        _sub(context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", message.business_process)
    _sub(context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", message.guideline)

    exchanged = _sub(root, "rsm:ExchangedDocument")
    _sub(exchanged, "ram:ID", message.message_id)
    _write_date_time(_sub(exchanged, "ram:IssueDateTime"), message.issued_at)
    _write_party(_sub(exchanged, "ram:SenderTradeParty"), message.sender)
    _write_party(_sub(exchanged, "ram:IssuerTradeParty"), message.issuer)
    for recipient in message.recipients:
        _write_party(_sub(exchanged, "ram:RecipientTradeParty"), recipient)

    acknowledgement = _sub(root, "rsm:AcknowledgementDocument")
    # One business object per message (A7 P1.14).
    _sub(acknowledgement, "ram:MultipleReferencesIndicator/udt:Indicator", "false")
    _sub(acknowledgement, "ram:TypeCode", str(message.phase.value))
    if message.status_at is not None:
        _write_date_time(_sub(acknowledgement, "ram:IssueDateTime"), message.status_at)

    invoice = message.invoice
    referenced = _sub(acknowledgement, "ram:ReferenceReferencedDocument")
    _sub(referenced, "ram:IssuerAssignedID", invoice.number)
    if message.document_status is not None:
        _sub(referenced, "ram:StatusCode", message.document_status)
    _sub(referenced, "ram:TypeCode", invoice.type_code)
    _sub(referenced, "ram:FormattedIssueDateTime/qdt:DateTimeString", invoice.issue_date.strftime("%Y%m%d")).set(
        "format", DATE_FORMAT
    )
    _sub(referenced, "ram:ProcessConditionCode", str(message.status.value))
    _sub(referenced, "ram:IssuerTradeParty/ram:GlobalID", invoice.seller_siren).set("schemeID", SIREN_SCHEME)
    for detail in message.details:
        _write_detail(_sub(referenced, "ram:SpecifiedDocumentStatus"), detail)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, path: str, text: str | None = None) -> etree._Element:
    """The last element of `path` (prefixed steps), created under `parent`, holding `text`."""
    element = parent
    for step in path.split("/"):
        prefix, local = step.split(":")
        element = etree.SubElement(element, f"{{{NAMESPACES[prefix]}}}{local}")
    if text is not None:
        element.text = text
    return element


def _write_date_time(holder: etree._Element, instant: datetime) -> None:
    if instant.tzinfo is None:
        raise ValueError("a lifecycle message's date-times are timezone-aware")
    _sub(holder, "udt:DateTimeString", instant.astimezone(PARIS).strftime(_STRFTIME[DATE_TIME_FORMAT])).set(
        "format", DATE_TIME_FORMAT
    )


def _write_party(element: etree._Element, party: Party) -> None:
    if party.id is not None:
        _sub(element, "ram:GlobalID", party.id.value).set("schemeID", party.id.scheme)
    if party.name is not None:
        _sub(element, "ram:Name", party.name)
    _sub(element, "ram:RoleCode", party.role)
    if party.electronic_address is not None:
        address = party.electronic_address
        _sub(element, "ram:URIUniversalCommunication/ram:URIID", address.value).set("schemeID", address.scheme)


def _write_detail(element: etree._Element, detail: StatusDetail) -> None:
    if detail.reason is not None:
        _sub(element, "ram:ReasonCode", detail.reason)
    if detail.requested_action is not None:
        _sub(element, "ram:RequestedActionCode", detail.requested_action)
    _sub(element, "ram:SequenceNumeric", str(detail.sequence))
    if detail.comment is not None:
        _sub(element, "ram:IncludedNote/ram:Content", detail.comment)
    for amount in detail.amounts:
        characteristic = _sub(element, "ram:SpecifiedDocumentCharacteristic")
        _sub(characteristic, "ram:TypeCode", amount.type_code)
        # A7 G7.07: a point before the decimals, no exponent.
        _sub(characteristic, "ram:ValueAmount", format(amount.value, "f")).set("currencyID", amount.currency)
        if amount.vat_rate is not None:
            _sub(characteristic, "ram:ValuePercent", format(amount.vat_rate, "f"))


def parse(xml: bytes) -> StatusMessage:
    try:
        root = parse_xml(xml).getroot()
    except XMLRejected as exc:
        if exc.code == XMLRejected.DOCTYPE:
            # How entity attacks start; a CDAR never needs one.
            raise CdarError("a lifecycle message declares no document type (DOCTYPE)", code=CdarError.DOCTYPE) from exc
        where = f" ({exc.location})" if exc.location else ""
        raise CdarError(f"not well-formed XML: {exc.message}{where}", code=CdarError.NOT_XML) from exc
    except InputTooLarge as exc:
        raise CdarError(f"not a lifecycle message: {exc}", code=CdarError.TOO_LARGE) from exc
    if root.tag != ROOT:
        raise CdarError(
            f"not a CDAR lifecycle message: the root element is {root.tag}, not {ROOT}", code=CdarError.NOT_CDAR
        )
    return _Reader(root).message()


T = TypeVar("T")
E = TypeVar("E", bound=Enum)

_GUIDELINE = "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
_BUSINESS_PROCESS = "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"


class _Reader:
    def __init__(self, root: etree._Element) -> None:
        self.root = root

    def message(self) -> StatusMessage:
        exchanged = self.one(self.root, "rsm:ExchangedDocument", "MDG-2")
        acknowledgement = self.one(self.root, "rsm:AcknowledgementDocument", "MDG-31")
        referenced = self.one(acknowledgement, "ram:ReferenceReferencedDocument", "MDG-32")
        status_at = self.optional(acknowledgement, "ram:IssueDateTime", "MDT-78")
        return StatusMessage(
            message_id=self.text(exchanged, "ram:ID", "MDT-4"),
            guideline=self.coded(Guideline, self.root, _GUIDELINE, "MDT-3"),
            business_process=self.optional_text(self.root, _BUSINESS_PROCESS),
            issued_at=self.date_time(self.one(exchanged, "ram:IssueDateTime", "MDT-8"), "MDT-8"),
            sender=self.party(self.one(exchanged, "ram:SenderTradeParty", "MDG-9"), "MDG-9 (sender)"),
            issuer=self.party(self.one(exchanged, "ram:IssuerTradeParty", "MDT-38"), "MDT-38 (issuer)"),
            recipients=tuple(self.party(element, "MDT-57 (recipient)") for element in self.recipients(exchanged)),
            phase=self.coded(Phase, acknowledgement, "ram:TypeCode", "MDT-77", int),
            status_at=None if status_at is None else self.date_time(status_at, "MDT-78"),
            invoice=InvoiceReference(
                number=self.text(referenced, "ram:IssuerAssignedID", "MDT-87"),
                type_code=self.text(referenced, "ram:TypeCode", "MDT-91"),
                issue_date=self.date(self.one(referenced, "ram:FormattedIssueDateTime", "MDG-35")),
                seller_siren=self.seller_siren(referenced),
            ),
            document_status=self.optional_text(referenced, "ram:StatusCode"),
            # A status the artefacts know but Coursier does not handle (214, 220, 224...) is refused as such.
            status=self.coded(
                InvoiceStatus, referenced, "ram:ProcessConditionCode", "MDT-105", int, unknown=CdarError.UNSUPPORTED
            ),
            details=tuple(self.detail(element) for element in self.all(referenced, "ram:SpecifiedDocumentStatus")),
        )

    def seller_siren(self, referenced: etree._Element) -> str:
        # Exactly one SIREN (A7 G7.17); other identifiers (a SIRET...) may come beside it.
        sirens = referenced.xpath(
            "ram:IssuerTradeParty/ram:GlobalID[@schemeID=$scheme]", namespaces=NAMESPACES, scheme=SIREN_SCHEME
        )
        if len(sirens) != 1:
            raise CdarError(
                f"MDT-129: the seller is identified by exactly one SIREN (scheme {SIREN_SCHEME}), not {len(sirens)}",
                code=CdarError.MISSING if not sirens else CdarError.UNSUPPORTED,
            )
        return self.element_text(sirens[0], "MDT-129")

    def recipients(self, exchanged: etree._Element) -> list[etree._Element]:
        found = self.all(exchanged, "ram:RecipientTradeParty")
        if not found:
            raise CdarError("MDT-57: the message names no recipient (A7 G7.32)", code=CdarError.MISSING)
        return found

    def party(self, element: etree._Element, term: str) -> Party:
        id_ = self.optional(element, "ram:GlobalID", f"{term} GlobalID")
        address = self.optional(element, "ram:URIUniversalCommunication/ram:URIID", f"{term} MDT-73")
        return Party(
            role=self.coded(PartyRole, element, "ram:RoleCode", f"{term} RoleCode"),
            id=None if id_ is None else self.identifier(id_, f"{term} GlobalID"),
            name=self.optional_text(element, "ram:Name"),
            electronic_address=None if address is None else self.identifier(address, f"{term} MDT-73"),
        )

    def identifier(self, element: etree._Element, term: str) -> Identifier:
        scheme = element.get("schemeID")
        if not scheme:
            raise CdarError(f"{term} has no schemeID", code=CdarError.MISSING)
        return Identifier(self.element_text(element, term), scheme)

    def detail(self, element: etree._Element) -> StatusDetail:
        has_action = self.optional(element, "ram:RequestedActionCode", "MDT-121") is not None
        notes = [self.element_text(note, "MDT-126") for note in self.all(element, "ram:IncludedNote/ram:Content")]
        return StatusDetail(
            reason=self.optional_text(element, "ram:ReasonCode"),
            comment="\n".join(notes) if notes else None,
            requested_action=(
                self.coded(RequestedAction, element, "ram:RequestedActionCode", "MDT-121") if has_action else None
            ),
            amounts=tuple(self.amount(item) for item in self.all(element, "ram:SpecifiedDocumentCharacteristic")),
            sequence=self.converted(self.text(element, "ram:SequenceNumeric", "MDT-124-2"), "MDT-124-2", int),
        )

    def amount(self, element: etree._Element) -> Amount:
        value = self.one(element, "ram:ValueAmount", "MDT-215")
        currency = value.get("currencyID")
        if not currency:
            raise CdarError("MDT-216: an amount has no currency", code=CdarError.MISSING)
        rate = self.optional(element, "ram:ValuePercent", "MDT-224")
        return Amount(
            type_code=self.coded(AmountType, element, "ram:TypeCode", "MDT-207"),
            value=self.decimal(value, "MDT-215"),
            currency=currency,
            vat_rate=None if rate is None else self.decimal(rate, "MDT-224"),
        )

    def date_time(self, holder: etree._Element, term: str) -> datetime:
        text = self.formatted(holder, "udt:DateTimeString", DATE_TIME_FORMAT, term)
        return self.converted(text, term, lambda value: datetime.strptime(value, _STRFTIME[DATE_TIME_FORMAT])).replace(
            tzinfo=PARIS
        )

    def date(self, holder: etree._Element) -> date:
        text = self.formatted(holder, "qdt:DateTimeString", DATE_FORMAT, "MDT-100")
        return self.converted(text, "MDT-100", lambda value: datetime.strptime(value, _STRFTIME[DATE_FORMAT]).date())

    def formatted(self, holder: etree._Element, path: str, expected: str, term: str) -> str:
        value = self.one(holder, path, term)
        if value.get("format") != expected:
            raise CdarError(
                f"{term}: date format {value.get('format')!r}, where format {expected} is expected",
                code=CdarError.INVALID_VALUE,
            )
        return self.element_text(value, term)

    def decimal(self, element: etree._Element, term: str) -> Decimal:
        return self.converted(self.element_text(element, term), term, Decimal)

    def coded(
        self,
        codes: type[E],
        parent: etree._Element,
        path: str,
        term: str,
        convert: Callable = str,
        unknown: str = CdarError.INVALID_VALUE,
    ) -> E:
        text = self.text(parent, path, term)
        try:
            return codes(convert(text))
        except ValueError:
            allowed = ", ".join(str(code.value) for code in codes)
            raise CdarError(f"{term}: {text!r} is not one of {allowed}", code=unknown) from None

    @staticmethod
    def converted(text: str, term: str, convert: Callable[[str], T]) -> T:
        try:
            return convert(text)
        except (ValueError, InvalidOperation):
            raise CdarError(f"{term}: {text!r} cannot be read", code=CdarError.INVALID_VALUE) from None

    def text(self, parent: etree._Element, path: str, term: str) -> str:
        return self.element_text(self.one(parent, path, term), term)

    def optional_text(self, parent: etree._Element, path: str) -> str | None:
        element = self.optional(parent, path, path)
        return None if element is None else self.element_text(element, path)

    @staticmethod
    def element_text(element: etree._Element, term: str) -> str:
        text = (element.text or "").strip()
        if not text:
            raise CdarError(f"{term} is empty", code=CdarError.MISSING)
        return text

    def one(self, parent: etree._Element, path: str, term: str) -> etree._Element:
        element = self.optional(parent, path, term)
        if element is None:
            raise CdarError(f"{term} ({path}) is missing", code=CdarError.MISSING)
        return element

    def optional(self, parent: etree._Element, path: str, term: str) -> etree._Element | None:
        found = self.all(parent, path)
        if len(found) > 1:
            # One business object per message (A7 P1.14) and one value per data element.
            raise CdarError(f"{term} ({path}) appears {len(found)} times", code=CdarError.UNSUPPORTED)
        return found[0] if found else None

    @staticmethod
    def all(parent: etree._Element, path: str) -> list[etree._Element]:
        return parent.xpath(path, namespaces=NAMESPACES)
