"""A wheel carries every data file the product reads (templates, static files, translations,
international days, methods and tactics): pip alone installs the whole product."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_of_the_package_is_declared_as_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["juntos"]
    package = ROOT / "juntos"
    declared = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    data = {p for p in package.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"}
            and "__pycache__" not in p.parts}
    assert sorted(str(p.relative_to(package)) for p in data - declared) == []
    for needed in ("locale/pt/LC_MESSAGES/messages.mo", "calendar/data/international_days.csv",
                   "catalogue/data/methods/001-public-speeches.md"):
        assert package / needed in declared, needed
