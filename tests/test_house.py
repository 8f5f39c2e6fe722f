"""The house's rules, checked: sizes, complexity, and every area declared once."""

from __future__ import annotations

import ast
from pathlib import Path

from radon.complexity import cc_visit

from juntos import house

PACKAGE = Path(__file__).resolve().parent.parent / "juntos"
MAX_LINES = 450
MAX_COMPLEXITY = 20


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "static" not in p.parts)


def test_no_module_is_over_450_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules: {long}"


def test_no_function_is_over_complexity_20() -> None:
    """Radon's cyclomatic complexity (branches and boolean operators)."""
    complex_ = {}
    for path in _modules():
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if type(block).__name__ != "Class" and block.complexity > MAX_COMPLEXITY:
                complex_[f"{path.relative_to(PACKAGE)}:{block.name}"] = block.complexity
    assert not complex_, f"split these functions: {complex_}"


def test_no_module_imports_by_name() -> None:
    """Areas are wired by the composition root, never found by a module name in a string."""
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if ((isinstance(node, ast.Attribute) and node.attr == "import_module")
                    or (isinstance(node, ast.Name) and node.id == "__import__")):
                found.append(str(path.relative_to(PACKAGE)))
    assert not found


def test_every_area_package_is_in_the_house_once() -> None:
    packages = {p.parent.name for p in PACKAGE.glob("*/manifest.py")}
    names = [installed.area.name for installed in house.AREAS]
    assert sorted(names) == sorted(packages)
    assert len(set(names)) == len(names)


def test_migrations_run_in_the_house_order() -> None:
    names = [m.name for m in house.migrations()]
    assert names[:2] == ["juntos.organisations", "juntos.accounts"]
