"""Headless Chromium (Debian's, never a downloaded build) driven by Playwright."""

import os
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1000, "height": 1100})
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshots(request) -> Path:
    """Where a browser test leaves its screenshots: outside the work tree, one folder per test."""
    folder = Path(os.environ.get("COURSIER_SCREENSHOTS", Path(tempfile.gettempdir()) / "coursier-screenshots"))
    folder = folder / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
