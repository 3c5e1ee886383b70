"""The one renderer: the catalogue and dates in the render's language, escaping, stylesheets, PDF."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from markupsafe import Markup

from coursier.kit.render import environment, format_date, html_to_pdf, stylesheet
from coursier.kit.texts import Language


def _render(source: str, language: Language | str, **context) -> str:
    return environment().from_string(source).render(lang=Language(language), **context)


def test_templates_read_the_catalogue_and_dates_in_the_language_of_the_render():
    source = "{{ t('mandate_pdf.start', start=when(day)) }}"
    assert _render(source, "fr", day=date(2026, 11, 25)) == "Prend effet le 25/11/2026."
    assert _render(source, "en", day=date(2026, 11, 25)) == "Starts on 2026-11-25."


def test_what_templates_show_is_escaped_and_a_missing_name_is_an_error():
    assert _render("{{ t('onboarding.done.return', sponsor=name) }}", "en", name="<b>ERP</b>") == (
        "Back to &lt;b&gt;ERP&lt;/b&gt;"
    )
    with pytest.raises(Exception, match="undefined"):
        _render("{{ nobody }}", "fr")


def test_instants_are_shown_in_utc_to_the_second():
    paris_evening = datetime(2026, 11, 25, 23, 30, 5, tzinfo=timezone(timedelta(hours=1)))
    assert format_date(paris_evening, "fr") == "25/11/2026 22:30:05"
    assert format_date(paris_evening.astimezone(UTC), Language.EN) == "2026-11-25 22:30:05"
    assert format_date(None, "fr") == ""


def test_stylesheets_of_every_home_are_found_and_trusted():
    for name in ("onboarding.css", "mandate.css", "invoice.css"):
        assert isinstance(stylesheet(name), Markup) and stylesheet(name)
    with pytest.raises(FileNotFoundError):
        stylesheet("nowhere.css")


def test_html_is_printed_to_pdf():
    assert html_to_pdf("<!doctype html><p>Bonjour</p>").startswith(b"%PDF-")
