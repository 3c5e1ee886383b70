"""Fixtures of the validation tests: small invoices written for Coursier, and variants of them."""

from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def variant() -> Callable[..., bytes]:
    """The bytes of a fixture with text replaced: variant("valid-cii.xml", ("BE", "FR"), ...)."""

    def make(name: str, *replacements: tuple[str, str]) -> bytes:
        text = (FIXTURES / name).read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"{old!r} is not in {name}"
            text = text.replace(old, new)
        return text.encode("utf-8")

    return make


@pytest.fixture(scope="session")
def hybrid_pdf() -> Callable[[bytes, str], bytes]:
    """A one-page PDF embedding `xml` under `name`, as Factur-X does."""

    def make(xml: bytes, name: str = "factur-x.xml") -> bytes:
        writer = pypdf.PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_attachment(name, xml)
        out = BytesIO()
        writer.write(out)
        return out.getvalue()

    return make
