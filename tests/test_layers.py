"""The shape of the code, read from its own imports: layers flow one way and nothing imports in a circle.

Imports inside functions count too: they are dependencies all the same.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "coursier"

# What each top-level part of `coursier` may import, besides itself. Data flows one way:
# api/web/jobs -> services -> db, model, formats, validation, network; kit under everything.
ALLOWED = {
    "kit": set(),
    "model": {"kit"},
    "formats": {"kit", "model"},
    "validation": {"kit", "model", "formats"},
    "config": {"kit"},
    "db": {"kit", "config", "model"},
    "network": {"kit", "config", "model", "formats"},
    "services": {"kit", "config", "db", "model", "formats", "validation", "network"},
    "jobs": {"kit", "config", "db", "model", "formats", "validation", "network", "services"},
    "runtime": {"kit", "config", "db", "network", "jobs"},
    # api/app.py assembles the application, the web pages' routes included.
    "api": {"kit", "config", "db", "model", "formats", "validation", "network", "services", "runtime", "web"},
    "web": {"kit", "config", "db", "model", "formats", "network", "services"},
    "sandbox": {"kit", "formats", "validation"},
    "cli": {
        "kit",
        "config",
        "db",
        "model",
        "formats",
        "validation",
        "network",
        "services",
        "runtime",
        "api",
        "sandbox",
    },  # fmt: skip
    "__main__": {"cli"},
}
# Statements that read or write tables are built in db/ only (the sandbox keeps its own store).
QUERY_BUILDERS = {"select", "insert", "update", "delete"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The coursier modules a file imports (`from coursier.x import y` counts as x.y when y is a module)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("coursier")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("coursier"):
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _is_module(candidate) else target)
    return found


def _is_module(name: str) -> bool:
    path = SRC.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    files = [path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts]
    return {_module_name(path): _imports(path) for path in files}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_part_imports_only_what_its_layer_allows():
    wrong = []
    for module, imported in sorted(_graph().items()):
        part = _part(module)
        if module == "coursier":
            continue
        if part not in ALLOWED:
            wrong.append(f"{module}: {part} is not a known part of coursier (add it to ALLOWED)")
            continue
        wrong += [f"{module} -> {target}" for target in sorted(imported)
                  if _part(target) not in ALLOWED[part] | {part, ""}]  # fmt: skip
    assert not wrong, "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_file_imports_itself_in_a_circle_outside_the_model():
    graph = {module: {target for target in imported if target != module} for module, imported in _graph().items()}
    cycles = [cycle for cycle in _cycles(graph) if not all(_part(member) == "model" for member in cycle)]
    assert not cycles, cycles


def test_the_parts_form_no_circle():
    parts: dict[str, set[str]] = defaultdict(set)
    for module, imported in _graph().items():
        parts[_part(module)] |= {_part(target) for target in imported if _part(target) != _part(module)}
    assert not _cycles(parts)


@pytest.mark.parametrize("part", sorted(set(ALLOWED) - {"db", "sandbox", "__main__"}))
def test_statements_on_tables_are_built_in_db_only(part):
    folder = PACKAGE / part
    files = sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / f"{part}.py"]
    wrong = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sqlalchemy"):
                wrong += [f"{_module_name(path)} imports {alias.name}" for alias in node.names
                          if alias.name in QUERY_BUILDERS]  # fmt: skip
    assert not wrong, "\n".join(wrong)
