"""Installs are reproducible: every dependency the project declares is pinned in constraints.txt,
which the README's commands and .ci/run install through, and the pins are what the suite runs on."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            pins[_canonical(name)] = pinned.strip()
    return pins


def _declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    return [_canonical(_NAME.match(requirement).group()) for requirement in requirements]


def test_every_declared_dependency_is_pinned_and_installed_at_its_pin():
    pins = _pins()
    assert [name for name in _declared() if name not in pins] == []
    wrong = {}
    for name, pinned in pins.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # a platform-specific wheel's dependency, absent here
        if installed != pinned:
            wrong[name] = (pinned, installed)
    assert wrong == {}, "constraints.txt is behind the environment: (pinned, installed)"


def test_the_readme_and_ci_install_through_the_constraints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for text in (readme, ci):
        installs = re.findall(r"pip install [^\n&]* -e [^\n&]*", text)  # the project's own installs
        assert installs and all("-c constraints.txt" in install for install in installs), installs
