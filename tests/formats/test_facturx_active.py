"""Active content in hybrid PDFs: found in the object tree while the invoice XML is taken out."""

import json
from pathlib import Path

import pytest

from coursier.formats.facturx import active, extract, to_pdf
from coursier.model import Invoice
from support import factories
from support.pdfs import pdf_with_attachments, with_active_content

MINIMUM_CII = (Path(__file__).parent / "facturx_fixtures" / "minimum.cii.xml").read_bytes()


@pytest.fixture(scope="module")
def facturx() -> bytes:
    """A Factur-X as Coursier makes it."""
    data = json.loads((factories.TEMPLATES_DIR / factories.TEMPLATES[0]).read_text(encoding="utf-8"))
    return to_pdf(Invoice.model_validate(data))


def test_a_sound_factur_x_has_none(facturx):
    assert extract(facturx).active_content == ()


@pytest.mark.parametrize(
    ("kind", "described"),
    [
        ("open_action", "a JavaScript action (/Root /OpenAction)"),
        ("names", "document-level JavaScript (/Names /JavaScript)"),
        ("page_actions", "a JavaScript action (/AA /O)"),
        ("launch", "a launch action (/Annots /A)"),
        ("executable", "an embedded program 'setup.exe'"),
        ("disguised", "an embedded program 'readme.txt'"),
    ],
)
def test_each_kind_is_found_and_the_invoice_still_read(facturx, kind, described):
    extracted = extract(with_active_content(facturx, kind))
    assert described in extracted.active_content, extracted.active_content
    assert extracted.filename == "factur-x.xml"  # found beside the invoice, which is read as before


def test_a_bookmark_that_runs_javascript_is_found(facturx):
    # Reached through the outline's other items: which of their links leads there first varies.
    (found,) = extract(with_active_content(facturx, "outline")).active_content
    assert found.startswith("a JavaScript action (") and found.endswith(" /A)"), found


def test_what_pages_draw_with_is_not_walked(facturx):
    # Fonts, images and content streams are most of the objects, and no reader runs an action
    # found there.
    assert extract(with_active_content(facturx, "in_resources")).active_content == ()


def test_names_escaped_in_the_file_are_read_as_names():
    # `/Java#53cript` is /JavaScript to every reader; a search of the bytes would miss it.
    pdf = pdf_with_attachments(
        {"factur-x.xml": MINIMUM_CII}, catalog_extra=b"/OpenAction << /S /Java#53cript /JS (app.alert(1)) >>"
    )
    assert b"/JavaScript" not in pdf
    assert extract(pdf).active_content == ("a JavaScript action (/Root /OpenAction)",)


def test_harmless_actions_are_not_active_content():
    pdf = pdf_with_attachments(
        {"factur-x.xml": MINIMUM_CII},
        catalog_extra=b"/OpenAction [3 0 R /Fit] /AA << /WC << /S /URI /URI (https://example.fr) >> >>",
    )
    assert extract(pdf).active_content == ()


def test_the_walk_is_bounded(monkeypatch):
    monkeypatch.setattr(active, "MAX_INSPECTED_OBJECTS", 3)
    found = extract(pdf_with_attachments({"factur-x.xml": MINIMUM_CII})).active_content
    assert found == ("more than 3 objects, too many to inspect",)


def test_the_embedded_files_read_are_bounded(facturx, monkeypatch):
    monkeypatch.setattr(active, "MAX_INSPECTED_FILES", 0)  # the invoice's own XML is one already
    assert extract(facturx).active_content == ("more than 0 embedded files, too many to inspect",)
