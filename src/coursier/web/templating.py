"""The Jinja2 environment of the pages and of the mandate PDF: auto-escaped, strict, translated."""

from datetime import UTC, date, datetime
from functools import cache
from importlib.resources import files

import jinja2
from markupsafe import Markup

from coursier.web.i18n import Language, text


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("coursier.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet(name: str) -> Markup:
    """One of our own stylesheets, inlined in a page: it is trusted, so it goes in unescaped."""
    return Markup(files("coursier.web").joinpath("static", name).read_text(encoding="utf-8"))


def format_date(value: date | datetime | None, language: Language) -> str:
    """25/11/2026 in French, 2026-11-25 in English; times to the second, in UTC."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        return value.strftime("%d/%m/%Y %H:%M:%S" if language == "fr" else "%Y-%m-%d %H:%M:%S")
    return value.strftime("%d/%m/%Y" if language == "fr" else "%Y-%m-%d")


def render(template: str, language: Language, **context) -> str:
    def translate(key: str, **values) -> str:
        return text(language, key, **values)

    def when(value: date | datetime | None) -> str:
        return format_date(value, language)

    return environment().get_template(template).render(lang=language, t=translate, when=when, **context)
