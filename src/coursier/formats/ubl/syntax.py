"""UBL 2.1 names, documents and dates."""

from __future__ import annotations

from datetime import date

from lxml import etree

from coursier.formats._schema import facturx_schema_dir
from coursier.formats.base import XmlReader

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NAMESPACES = {"cac": CAC, "cbc": CBC, "inv": INVOICE, "cn": CREDIT_NOTE}

INVOICE_XSD = "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"
CREDIT_NOTE_XSD = "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"


def xsd_path(credit_note: bool):
    return facturx_schema_dir() / (CREDIT_NOTE_XSD if credit_note else INVOICE_XSD)


def read_date(reader: XmlReader, parent: etree._Element | None, path: str, term: str) -> date | None:
    return reader.value(parent, path, term, date.fromisoformat)
