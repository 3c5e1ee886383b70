"""Fixtures shared by every test package."""

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The official corpus beside the clone (../shared); tests that need it are skipped without it."""
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not beside this clone")
    return SHARED_DIR
