"""Who the parties of an invoice are for the platform: the seller's SIREN, which must be the
client's, and the buyer's directory entry, which says where the invoice goes."""

from datetime import timedelta

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.directory import DirectoryCacheEntry
from coursier.db.invoices import OUTBOUND, Invoice
from coursier.model import Invoice as InvoiceModel
from coursier.model.identifiers import (
    SCHEME_FR_ELECTRONIC_ADDRESS,
    SCHEME_SIREN,
    SCHEME_SIRET,
    valid_siren,
    valid_siret,
)
from coursier.network.ppf import PPF, PPFRejected
from coursier.services import directory
from coursier.services.directory import LookupQuery

_LONGEST_LOOKUP_KEY = DirectoryCacheEntry.key.type.length
FRANCE = "FR"


def seller_siren(invoice: InvoiceModel) -> str | None:
    """BT-30 with scheme 0002, else the SIREN of a BT-29 SIRET, else of the BT-34 address (0225)."""
    seller = invoice.seller
    if seller is None:
        return None
    candidates = [seller.legal_registration_identifier, *seller.identifiers, seller.electronic_address]
    return _first_siren(candidates)


def counterparty_abroad(invoice: Invoice) -> str | None:
    """The country of the client's counterparty (the buyer of what it sent, the seller of what it
    received) when it is not France: an international operation (flow F8), whose data the declarant
    e-reports (10.1, 10.2), and for which neither F1 nor the lifecycle (F6) goes to the PPF (DG §3.2,
    F8, note 30). Read off the stored model: the status path does not validate it again."""
    party = (invoice.model or {}).get("buyer" if invoice.direction == OUTBOUND else "seller") or {}
    country = ((party.get("postal_address") or {}).get("country_code") or "").upper()
    return country if country not in ("", FRANCE) else None


def seller_address(invoice: InvoiceModel) -> str | None:
    """Who sends, as the network names participants: BT-34 when it is a directory address (scheme
    0225), else the seller's SIREN (a directory address too)."""
    address = invoice.seller.electronic_address if invoice.seller else None
    if address is not None and address.scheme_id == SCHEME_FR_ELECTRONIC_ADDRESS:
        return address.value
    return seller_siren(invoice)


def buyer_siren(invoice: InvoiceModel) -> str | None:
    buyer = invoice.buyer
    if buyer is None:
        return None
    return _first_siren([buyer.legal_registration_identifier, buyer.identifier, buyer.electronic_address])


def buyer_siret(invoice: InvoiceModel) -> str | None:
    buyer = invoice.buyer
    identifier = buyer.identifier if buyer else None
    if identifier is None or identifier.scheme_id != SCHEME_SIRET:
        return None
    return valid_siret(identifier.value)


def buyer_electronic_address(invoice: InvoiceModel) -> str | None:
    """BT-49 when it is a French directory address (scheme 0225)."""
    address = invoice.buyer.electronic_address if invoice.buyer else None
    if address is None or address.scheme_id != SCHEME_FR_ELECTRONIC_ADDRESS:
        return None
    return address.value


def recipient_query(invoice: InvoiceModel) -> LookupQuery | None:
    """Where the directory is asked for the buyer: BT-49 (scheme 0225), else its SIREN / SIRET."""
    address = buyer_electronic_address(invoice)
    if address:
        return LookupQuery(electronic_address=address)
    siret = buyer_siret(invoice)
    siren = buyer_siren(invoice)
    if siret is None and siren is None:
        return None
    return LookupQuery(siren=siren or siret[:9], siret=siret)


def find_recipients(session: Session, ppf: PPF, models: list[InvoiceModel], settings: Settings) -> list[dict | None]:
    """`find_recipient` of each invoice, the directory asked once per buyer (cached entries in one read).

    Raises `coursier.kit.errors.Unavailable` when the directory cannot be reached.
    """
    queries = [_askable_query(model) for model in models]
    entries = directory.recipients_lookup(
        session, ppf, [q for q in queries if q is not None], ttl=timedelta(seconds=settings.directory_cache_seconds)
    )
    return [entries[query] if query is not None else None for query in queries]


def _askable_query(model: InvoiceModel) -> LookupQuery | None:
    query = recipient_query(model)
    return None if query is None or len(query.cache_key()) > _LONGEST_LOOKUP_KEY else query


def find_recipient(session: Session, ppf: PPF, model: InvoiceModel, settings: Settings) -> dict | None:
    """The directory entry of the buyer; None when no line covers it, or no line could.

    Raises `coursier.kit.errors.Unavailable` when the directory cannot be reached.
    """
    query = _askable_query(model)
    if query is None:
        return None
    try:
        return directory.lookup(session, ppf, query, ttl=timedelta(seconds=settings.directory_cache_seconds))
    except PPFRejected:  # an address the directory cannot read: a bad scheme, a SIREN of no company
        return None


def _first_siren(identifiers) -> str | None:
    for identifier in identifiers:
        if identifier is None:
            continue
        value = identifier.value.replace(" ", "")
        if identifier.scheme_id == SCHEME_SIREN or (identifier.scheme_id is None and len(value) == 9):
            found = valid_siren(value)
        elif identifier.scheme_id == SCHEME_SIRET:
            found = valid_siren(value[:9]) if valid_siret(value) else None
        elif identifier.scheme_id == SCHEME_FR_ELECTRONIC_ADDRESS:
            found = valid_siren(value[:9])
        else:
            found = None
        if found:
            return found
    return None
