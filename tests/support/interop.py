"""Real files written by other software (calendar exports, network files, conformance cases).

They live outside the repository, in ``../shared/data/interop/`` beside the checkout: a clone
alone has no such folder, and its tests that need them skip, naming the folder they looked for.
Under ``CI=true`` that skip is a failure, so CI (which has the folder) never skips them silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Where the interop corpora are looked for.
INTEROP = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "interop"


def available(*parts: str) -> bool:
    """True when the file or folder is there (for building parameter lists at import time)."""
    return INTEROP.joinpath(*parts).exists()


def interop_path(*parts: str) -> Path:
    """The path of an interop file or folder; skip the test when it is absent (fail on CI)."""
    path = INTEROP.joinpath(*parts)
    if not path.exists():
        message = f"interop corpus not found: {path} (expected ../shared/data/interop beside " \
                  "the checkout)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI=true: the interop tests must run")
        pytest.skip(message)
    return path
