"""Dependencies point one way: goals -> indicators -> clusters (docs/adr/0001-goals-indicators.md).

Every module of `clusters` and `indicators` is parsed and each import is checked: top-level and inside
functions, `from . import`/relative forms resolved to their package, and `importlib.import_module("...")`
or `__import__("...")` with a literal name. Where indicators needs goals, goals answers through
`indicators/hooks.py`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# app -> the apps it must not import
FORBIDDEN = {"clusters": {"indicators", "goals"}, "indicators": {"goals"}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_names(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a module's source, wherever it is."""
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            # `from . import goals`-style: the names themselves may be modules.
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call):
            function = node.func
            called = getattr(function, "attr", None) or getattr(function, "id", None)
            if called in {"import_module", "__import__"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((node.lineno, first.value))
    return found


def _violations(app: str, forbidden: set[str]) -> list[str]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for line, name in imported_names(source, _module_name(path), is_package=path.name == "__init__.py"):
            if name.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_does_not_import_the_apps_built_on_it(app):
    assert _violations(app, FORBIDDEN[app]) == []


def test_the_check_sees_imports_inside_functions_relative_imports_and_importlib():
    source = (
        "import importlib\n"
        "def f():\n"
        "    from goals.models import Measure\n"
        "    importlib.import_module('goals.services')\n"
        "    __import__('goals')\n"
        "from .. import goals\n"
        "from . import hooks\n"
    )
    names = {name for _line, name in imported_names(source, "indicators.ingest.probe")}
    assert {"goals.models", "goals.services", "goals", "indicators.goals", "indicators.ingest.hooks"} <= names
    assert {"goals", "indicators"} >= {n.split(".")[0] for n in names} - {"importlib"}
