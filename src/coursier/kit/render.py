"""The one renderer: HTML from Jinja templates in a language, and HTML printed to PDF.

One environment serves the onboarding pages, the mandate PDF and the readable invoice: it
auto-escapes, refuses undefined names, and gives templates `t(key, **values)` (the catalogue's
text in the language of the render) and `when(date)`. Its template homes are Coursier's folders
that hold `templates/` and `static/`; they are found by path, not imported, since kit depends on
nothing else of Coursier. Template and stylesheet names are unique across the homes.
"""

from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup
from weasyprint import HTML

from coursier.kit.texts import Language, text

_COURSIER = Path(__file__).resolve().parent.parent
HOMES = (_COURSIER / "web", _COURSIER / "formats" / "facturx")


def format_date(value: date | datetime | None, language: Language | str) -> str:
    """25/11/2026 in French, 2026-11-25 in English; times to the second, in UTC."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        return value.strftime("%d/%m/%Y %H:%M:%S" if language == Language.FR else "%Y-%m-%d %H:%M:%S")
    return value.strftime("%d/%m/%Y" if language == Language.FR else "%Y-%m-%d")


@jinja2.pass_context
def _translate(context: jinja2.runtime.Context, key: str, **values: object) -> str:
    return text(context["lang"], key, **values)


@jinja2.pass_context
def _when(context: jinja2.runtime.Context, value: date | datetime | None) -> str:
    return format_date(value, context["lang"])


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([home / "templates" for home in HOMES]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(t=_translate, when=_when)
    return env


@cache
def stylesheet(name: str) -> Markup:
    """One of our own stylesheets, inlined in a page: it is trusted, so it goes in unescaped."""
    for home in HOMES:
        path = home / "static" / name
        if path.is_file():
            return Markup(path.read_text(encoding="utf-8"))
    raise FileNotFoundError(f"no stylesheet {name} in {', '.join(str(home / 'static') for home in HOMES)}")


def render(template: str, language: Language | str, **context: object) -> str:
    """`template` rendered in `language` (given to the template as `lang`)."""
    return environment().get_template(template).render(lang=Language(language), **context)


def html_to_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """A self-contained HTML page (styles inlined, no external resource) printed by WeasyPrint."""
    return HTML(string=html).write_pdf(pdf_variant=pdf_variant)
