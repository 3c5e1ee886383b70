"""Depositing invoices: what is accepted and kept, and every reason a file is refused."""

import pytest
from sqlalchemy import select, text

from coursier.db.invoices import Invoice
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.usage import UsageCounter


@pytest.fixture
def every_deposit_shadowed(monkeypatch, runtime):
    """A refusal leaves nothing to do, not even a shadow check: asked of every deposit, none may come."""
    monkeypatch.setattr(runtime.settings, "validation_shadow_share", 1.0)


def test_an_accepted_invoice_is_kept_counted_and_queued_for_routing(
    submit, seller, buyer_elsewhere, french_invoice, as_file, session
):
    invoice = french_invoice(seller.company, buyer_elsewhere, number="A-0001")
    name, content = as_file(invoice, "cii")
    r = submit(seller, content, name)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["status"], body["status_code"], body["status_label"]) == ("validated", 200, "Déposée")
    assert body["rejection_reason"] is None and body["errors"] == []
    assert (body["file_name"], body["file_size"]) == (name, len(content))
    data = body["extracted_data"]
    assert data["invoice_number"] == "A-0001" and data["type_code"] == "380"
    assert data["seller_siren"] == seller.company.siren and data["buyer_siren"] == buyer_elsewhere.siren
    assert data["total_with_vat"] == "792.00" and data["currency"] == "EUR"
    assert body["en16931_invoice"] == invoice.model_dump(mode="json")

    row = session.get(Invoice, body["invoice_id"])
    assert row.recipient_platform_id == "0099" and row.direction == "outbound"
    events = session.scalars(select(LifecycleEvent).where(LifecycleEvent.object_id == row.id)).all()
    assert [(e.status_code, e.details["status_code"], e.is_mandatory) for e in events] == [
        ("InvoiceLifecycleStatus.DEPOSITED", 200, True)
    ]
    sent = session.scalar(
        select(UsageCounter.value).where(
            UsageCounter.client_id == seller.tenant.client_id, UsageCounter.counter == "invoices_sent"
        )
    )
    assert sent == 1
    jobs = session.execute(
        text(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'invoicing.route' AND args->>'invoice_id' = :id"
        ),
        {"id": row.id},
    ).scalar()
    assert jobs == 1


def test_a_vat_identifier_with_a_wrong_key_is_accepted_with_a_warning(
    submit, seller, buyer_elsewhere, french_invoice, as_file
):
    from coursier.model.invoice import TaxRepresentative

    invoice = french_invoice(seller.company, buyer_elsewhere, number="V-1")
    # SIREN 100000173's key is 95; EN 16931 checks only the prefix, so this passes every official rule.
    invoice.tax_representative = TaxRepresentative(name="Représentant SARL", vat_identifier="FR12100000173")
    invoice.tax_representative.postal_address = invoice.seller.postal_address
    for fmt in ("cii", "ubl"):
        invoice.number = f"V-{fmt}"
        body = submit(seller, as_file(invoice, fmt)[1]).json()
        assert body["status"] == "validated", body
        [warning] = [w for w in body["warnings"] if w["rule"] == "COURSIER-VAT-01"]
        assert (warning["bt"], warning["severity"], warning["stage"]) == (["BT-63"], "warning", "identifiers")
        assert "FR95100000173" in warning["message"]


# ---- refusals: every reason, in the order the checks run ------------------------------------------


def _blank_pdf() -> bytes:
    from io import BytesIO

    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_unknown_element(xml: bytes) -> bytes:
    """CII with an element its schema does not know, in the document header."""
    return xml.replace(b"</rsm:ExchangedDocument>", b"<ram:Colour>blue</ram:Colour></rsm:ExchangedDocument>", 1)


def _refused(r, status_code: int, reason: str) -> dict:
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["status"], body["status_code"], body["rejection_reason"]) == ("rejected", status_code, reason), body
    assert body["rejection_message"]
    return body


def test_unreadable_files_are_unacceptable(submit, seller):
    assert _refused(submit(seller, b"", "empty.xml"), 501, "IRR_VIDE_F")["status_label"] == "Irrecevable"
    assert _refused(submit(seller, b"  \n", "blank.xml"), 501, "IRR_VIDE_F")
    _refused(submit(seller, b"Invoice F-1: 100 EUR", "invoice.txt"), 501, "IRR_TYPE_F")
    _refused(submit(seller, b"\x89PNG\r\n\x1a\n....", "scan.png"), 501, "IRR_TYPE_F")
    body = _refused(submit(seller, b"<Invoice><unclosed></Invoice>", "broken.xml"), 501, "IRR_SYNTAX")
    assert body["errors"][0]["rule"] == "XML-MALFORMED" and body["errors"][0]["stage"] == "xml"
    body = _refused(submit(seller, b"<order xmlns='urn:example'/>", "order.xml"), 501, "IRR_SYNTAX")
    assert body["errors"][0]["rule"] == "XML-NOT-INVOICE"
    body = _refused(submit(seller, _blank_pdf(), "scan.pdf"), 501, "IRR_SYNTAX")
    assert "no invoice XML" in body["rejection_message"]
    assert body["extracted_data"] is None and body["en16931_invoice"] is None


def test_a_file_over_the_size_limit_is_unacceptable_and_not_kept(submit, seller, session):
    from coursier.services.invoicing.checks import MAX_INVOICE_BYTES

    body = _refused(submit(seller, b"<" + b" " * MAX_INVOICE_BYTES, "huge.xml"), 501, "IRR_TAILLE_F")
    assert body["file_size"] == MAX_INVOICE_BYTES + 1
    assert session.get(Invoice, body["invoice_id"]).document_id is None
    # Far over the limit, the request is not even read.
    r = submit(seller, b"<" + b" " * (2 * MAX_INVOICE_BYTES), "huger.xml")
    assert r.status_code == 413


def test_a_file_whose_checks_outrun_the_time_limit_is_unacceptable(
    submit, seller, buyer_elsewhere, french_invoice, as_file, monkeypatch
):
    from coursier.kit import cpu

    invoice = french_invoice(seller.company, buyer_elsewhere, number="T-1")
    invoice.lines = [invoice.lines[0].model_copy(update={"identifier": str(n)}) for n in range(1000)]  # seconds of work
    # A limit no real check of a thousand lines can meet, whatever the machine's speed.
    monkeypatch.setattr(cpu, "task_seconds", 0.001)
    body = _refused(submit(seller, as_file(invoice, "cii")[1]), 501, "IRR_SYNTAX")
    assert body["rejection_message"] == "The invoice could not be checked within 0.001 s"
    monkeypatch.setattr(cpu, "task_seconds", 30.0)
    invoice = french_invoice(seller.company, buyer_elsewhere, number="T-2")
    assert submit(seller, as_file(invoice, "cii")[1]).json()["status"] == "validated"  # the pool works on


def test_minimum_and_basic_wl_are_not_invoices(submit, seller, buyer_elsewhere, french_invoice, session):
    from coursier.formats import cii

    invoice = french_invoice(seller.company, buyer_elsewhere, number="P-1")
    for profile in ("minimum", "basicwl"):
        # Also broken against its schema: the profile check comes first, before any artefact runs.
        xml = _with_unknown_element(cii.write(invoice, profile=profile).xml)
        body = _refused(submit(seller, xml), 213, "REJ_SEMAN")
        assert "is not an invoice under the French reform" in body["rejection_message"]
        assert body["extracted_data"]["invoice_number"] == "P-1"
        report = session.get(Invoice, body["invoice_id"]).validation["report"]
        assert report["profile"] is not None and report["artefacts"] == [] and report["errors"] == []


def test_a_value_the_official_stylesheets_cannot_evaluate_is_refused_not_an_error(
    submit, seller, buyer_elsewhere, french_invoice
):
    from coursier.formats import cii

    # A Factur-X BASIC invoice: its profile schematron runs officially, and stops on this amount.
    xml = cii.write(french_invoice(seller.company, buyer_elsewhere, number="NaN-1"), profile="basic").xml
    body = _refused(
        submit(seller, xml.replace(b"<ram:LineTotalAmount>", b"<ram:LineTotalAmount>x", 1)), 501, "IRR_SYNTAX"
    )
    assert {e["stage"] for e in body["errors"]} == {"xsd"}


def test_schema_errors_come_before_business_rules(submit, seller, buyer_elsewhere, french_invoice):
    from coursier.formats import cii

    invoice = french_invoice(seller.company, buyer_elsewhere, number="S-1")
    invoice.totals.total_with_vat = invoice.totals.total_with_vat + 1  # BR-CO-15 too
    body = _refused(submit(seller, _with_unknown_element(cii.write(invoice).xml)), 501, "IRR_SYNTAX")
    assert {e["stage"] for e in body["errors"]} == {"xsd"}
    assert body["extracted_data"]["invoice_number"] == "S-1"  # what could be read is shown


def test_en16931_errors_come_before_french_rules(submit, seller, buyer_elsewhere, french_invoice, as_file):
    invoice = french_invoice(seller.company, buyer_elsewhere, number="E" * 40)  # BR-FR-01: over 35 characters
    invoice.totals.total_with_vat = invoice.totals.total_with_vat + 1
    body = _refused(submit(seller, as_file(invoice, "cii")[1]), 213, "REJ_SEMAN")
    assert "EN 16931" in body["rejection_message"] and "BR-CO-15" in body["rejection_message"]
    assert {e["rule"] for e in body["errors"]} == {"BR-CO-15", "BR-CO-16"}
    assert all(e["stage"] == "schematron" and e["bt"] for e in body["errors"])

    invoice.totals.total_with_vat = invoice.totals.total_with_vat - 1
    body = _refused(submit(seller, as_file(invoice, "ubl")[1]), 213, "REJ_SEMAN")
    assert "BR-FR" in body["rejection_message"]
    assert [e["rule"][:8] for e in body["errors"]] == ["BR-FR-01"]


def test_the_seller_must_be_the_calling_client(
    submit, seller, buyer_elsewhere, sandbox_companies, french_invoice, as_file
):
    stranger = sandbox_companies.pop()
    body = _refused(
        submit(seller, as_file(french_invoice(stranger, buyer_elsewhere, number="C-1"), "cii")[1]), 213, "REJ_COH"
    )
    assert stranger.siren in body["rejection_message"]
    assert body["errors"][0]["stage"] == "seller"


def test_a_duplicate_of_the_same_seller_number_and_year_is_rejected(
    submit, seller, buyer_elsewhere, french_invoice, as_file, session
):
    invoice = french_invoice(seller.company, buyer_elsewhere, number="D-1")
    first = submit(seller, as_file(invoice, "cii")[1]).json()
    assert first["status"] == "validated", first
    # The same invoice in another syntax is still the same invoice.
    body = _refused(submit(seller, as_file(invoice, "facturx")[1], "D-1.pdf"), 213, "DOUBLON")
    assert "D-1" in body["rejection_message"]
    # Another year is another invoice.
    last_year = french_invoice(
        seller.company,
        buyer_elsewhere,
        number="D-1",
        issue_date=invoice.issue_date.replace(year=invoice.issue_date.year - 1, day=1),
    )
    assert submit(seller, as_file(last_year, "cii")[1]).json()["status"] == "validated"
    refused = session.get(Invoice, body["invoice_id"])
    assert refused.document_id is not None  # kept for the sender to see
    assert [
        e.status_code for e in session.scalars(select(LifecycleEvent).where(LifecycleEvent.object_id == refused.id))
    ] == ["InvoiceLifecycleStatus.REJECTED"]


def test_a_recipient_in_no_directory_line_is_unknown(
    submit, seller, sandbox_companies, french_invoice, as_file, session, every_deposit_shadowed
):
    nowhere = sandbox_companies.pop()
    body = _refused(
        submit(seller, as_file(french_invoice(seller.company, nowhere, number="U-1"), "cii")[1]), 213, "DEST_INC"
    )
    assert body["errors"][0]["stage"] == "directory"
    # Refused: nothing else happens, and its number is free again.
    jobs = session.execute(
        text("SELECT count(*) FROM procrastinate_jobs WHERE args->>'invoice_id' = :id"), {"id": body["invoice_id"]}
    ).scalar()
    assert jobs == 0
    assert (
        session.scalar(
            select(UsageCounter.value).where(
                UsageCounter.client_id == seller.tenant.client_id, UsageCounter.counter == "invoices_sent"
            )
        )
        is None
    )


@pytest.mark.parametrize("kind", ["open_action", "launch", "disguised"])
def test_a_factur_x_with_active_content_is_unacceptable_and_kept_as_received(
    submit, seller, buyer_elsewhere, french_invoice, as_file, session, kind, every_deposit_shadowed
):
    from coursier.db.documents import Document
    from support.pdfs import with_active_content

    name, pdf = as_file(french_invoice(seller.company, buyer_elsewhere, number=f"JS-{kind}"), "facturx")
    hostile = with_active_content(pdf, kind)
    body = _refused(submit(seller, hostile, name), 501, "IRR_ANTIVIRUS")
    assert "active content" in body["rejection_message"]
    assert [(e["rule"], e["stage"]) for e in body["errors"]] == [("PDF-ACTIVE-CONTENT", "content")]
    # Refused, not cleaned: the evidence is the file as it came, and nothing goes further.
    row = session.get(Invoice, body["invoice_id"])
    assert session.get(Document, row.document_id).content == hostile
    jobs = session.execute(
        text("SELECT count(*) FROM procrastinate_jobs WHERE args->>'invoice_id' = :id"), {"id": row.id}
    ).scalar()
    assert jobs == 0


@pytest.mark.parametrize("address", ["not-an-address", "123456789", "732829320_NOWHERE"])
def test_an_electronic_address_no_directory_line_can_have_is_unknown(
    submit, seller, buyer_elsewhere, french_invoice, as_file, address
):
    invoice = french_invoice(seller.company, buyer_elsewhere, number="U-2")
    invoice.buyer.electronic_address.value = address
    body = _refused(submit(seller, as_file(invoice, "ubl")[1], "a\x00b/../\u202e\nU-2.xml"), 213, "DEST_INC")
    assert body["file_name"].endswith("U-2.xml") and body["file_name"].isprintable()  # no path, no controls


@pytest.mark.parametrize("fmt", ["cii", "facturx"])
def test_a_deposited_file_is_read_once(fmt, company, sandbox_companies, french_invoice, as_file, monkeypatch):
    """The validation stages and the model share one parsed tree: a PDF opened once, its XML parsed once."""
    import sys

    import pypdf

    from coursier.kit import xml as kit_xml
    from coursier.services.invoicing.checks import read_invoice_file

    extraction = sys.modules["coursier.formats.facturx.extract"]

    _, content = as_file(french_invoice(company, sandbox_companies.pop(), number="ONCE-1"), fmt)
    opened, parsed = [], []
    real_reader, real_parser = pypdf.PdfReader, kit_xml.hardened_parser
    monkeypatch.setattr(pypdf, "PdfReader", lambda *a, **k: opened.append(1) or real_reader(*a, **k))
    monkeypatch.setattr(extraction, "hardened_parser", lambda **k: parsed.append(1) or real_parser(**k))
    monkeypatch.setattr(kit_xml, "hardened_parser", lambda **k: parsed.append(1) or real_parser(**k))
    reading = read_invoice_file(content)
    assert reading.refusal is None and reading.invoice.number == "ONCE-1"
    assert (len(opened), len(parsed)) == ((1 if fmt == "facturx" else 0), 1)
