"""The readable invoice page: French mentions, English labels, PDF/A-3b output."""

import html as html_text
import re
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from coursier.formats.facturx import html, readable_pdf
from coursier.formats.facturx.formatting import Formatter
from coursier.model.invoice import Invoice, Note, PrecedingInvoice, VatBreakdown

FIXTURES = Path(__file__).parent / "facturx_fixtures"


@pytest.fixture(scope="module")
def invoice() -> Invoice:
    return Invoice.model_validate_json((FIXTURES / "invoice_fr.json").read_text(encoding="utf-8"))


def visible_text(page: str) -> str:
    """The page's text with tags dropped and spaces evened, as a reader would search it.

    Labels of the reference list get their colon from the stylesheet, so it is not in the text.
    """
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.DOTALL)
    return re.sub(r"[\s\u00a0\u202f]+", " ", html_text.unescape(text))


def test_french_page_carries_the_mandatory_mentions(invoice: Invoice) -> None:
    text = visible_text(html(invoice))
    expected = [
        "Facture",
        "FA-2025-0042",
        "Date d'émission 14/02/2025",
        "Date d'échéance 16/03/2025",
        "Date de livraison ou d'exécution 10/02/2025",
        # seller and buyer: names, addresses, SIREN/SIRET, VAT numbers, legal form and capital
        "Atelier Lumière SAS",
        "SAS au capital de 50 000 € – RCS Lyon 732 829 320",
        "12 rue des Canuts",
        "69004 Lyon, France",
        "SIREN 732829320",
        "SIRET 73282932000017",
        "FR44732829320",
        "Maison Delaunay SARL",
        "33000 Bordeaux, France",
        "SIREN 552100554",
        "FR96552100554",
        "Entrepôt Delaunay",
        "Nature de l'opération Opération mixte (biens et services)",
        "Bon de commande PO-2025-118",
        # lines: description, quantity, unit, unit price, VAT rate, net amount
        "Conception graphique",
        "12 heure 85,00 20 % 1 020,00",
        "Remise (10 %) – Remise quantité : −60,00",
        "3 unité 32,00 5,5 % 96,00",
        # VAT breakdown per rate and totals
        "20 % 1 555,00 311,00",
        "5,5 % 96,00 5,28",
        "Remise – Remise fidélité −50,00 €",
        "Total HT 1 651,00 €",
        "Total TVA 316,28 €",
        "Total TTC 1 967,28 €",
        # payment: means, IBAN, terms, penalties, recovery fee, discount
        "Virement SEPA",
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPP",
        "Paiement à 30 jours date de facture",
        "Pénalités de retard En cas de retard, pénalités au taux de trois fois le taux d'intérêt légal.",
        "Indemnité de recouvrement Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement",
        "Escompte Pas d'escompte pour paiement anticipé.",
        "Option pour le paiement de la taxe d'après les débits.",
        "Merci de rappeler le numéro de facture",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert not missing, missing


def test_legal_defaults_stand_in_for_conditions_the_invoice_omits(invoice: Invoice) -> None:
    partly_stated = invoice.model_copy(
        update={"notes": [Note(subject_code="AAB", content="Escompte de 1 % pour paiement sous 8 jours.")]}
    )
    text = visible_text(html(partly_stated))
    assert "Escompte de 1 % pour paiement sous 8 jours." in text
    assert "Pas d'escompte" not in text
    assert "BCE majoré de 10 points (art. L441-10 du Code de commerce)" in text
    assert "indemnité forfaitaire de 40 € pour frais de recouvrement (art. L441-10 et D441-5" in text


def test_english_page(invoice: Invoice) -> None:
    text = visible_text(html(invoice, "en"))
    for phrase in ["Invoice", "Issue date 2025-02-14", "12 hour 85.00 20% 1,020.00", "Total incl. VAT 1,967.28 €"]:
        assert phrase in text
    assert "Facture" not in text


def test_credit_note_names_the_invoice_it_corrects(invoice: Invoice) -> None:
    credit_note = invoice.model_copy(
        update={
            "type_code": "381",
            "notes": [],
            "preceding_invoices": [PrecedingInvoice(number="FA-2025-0042", issue_date=date(2025, 2, 14))],
        }
    )
    text = visible_text(html(credit_note))
    assert "Avoir" in text
    assert "Facture d'origine FA-2025-0042 du 14/02/2025" in text
    assert "Pénalités de retard" not in text  # a credit note asks for no payment


def test_exempt_supply_shows_its_reason(invoice: Invoice) -> None:
    reverse_charged = invoice.model_copy(
        update={
            "vat_breakdown": [
                VatBreakdown(
                    taxable_amount=Decimal("1651.00"),
                    tax_amount=Decimal("0.00"),
                    category_code="AE",
                    rate=Decimal("0"),
                    exemption_reason="Autoliquidation, article 283-2 du CGI",
                    exemption_reason_code="VATEX-EU-AE",
                )
            ]
        }
    )
    text = visible_text(html(reverse_charged))
    assert "Autoliquidation Motif : Autoliquidation, article 283-2 du CGI VATEX-EU-AE 0 % 1 651,00 0,00" in text


def test_text_from_the_invoice_is_escaped(invoice: Invoice) -> None:
    hostile = invoice.model_copy(update={"number": "<script>alert(1)</script>"})
    page = html(hostile)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("language", "value", "amount", "percent"),
    [("fr", "-1234567.5", "−1\u202f234\u202f567,50", "5,5\u00a0%"), ("en", "-1234567.5", "−1,234,567.50", "5.5%")],
)
def test_numbers_follow_the_language(language: str, value: str, amount: str, percent: str) -> None:
    fmt = Formatter(language, "EUR")
    assert fmt.amount(Decimal(value)) == amount
    assert fmt.percent(Decimal("5.50")) == percent
    assert fmt.quantity(Decimal("12.000")) == "12"
    assert fmt.amount(Decimal("1.2345")).endswith("2345")  # unit prices keep their precision


def test_readable_pdf_is_pdf_a_3b_with_its_fonts(invoice: Invoice) -> None:
    pdf = pypdf.PdfReader(BytesIO(readable_pdf(invoice)))
    catalog = pdf.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfaid:part(>|=\")3", xmp)
    assert re.search(rb"pdfaid:conformance(>|=\")B", xmp)
    assert catalog["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    fonts = pdf.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded, as PDF/A requires
    assert not list(pdf.attachment_list)
    assert "Atelier Lumière SAS" in pdf.pages[0].extract_text()
