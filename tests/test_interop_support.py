"""The interop helper: a clone alone skips, naming the folder; under CI=true it fails."""

from __future__ import annotations

import pytest

from tests.support import interop


def test_absent_corpus_skips_naming_the_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(interop, "INTEROP", tmp_path / "interop")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        interop.interop_path("ics")
    assert str(tmp_path / "interop" / "ics") in str(skipped.value)


def test_absent_corpus_fails_under_ci(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(interop, "INTEROP", tmp_path / "interop")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as failed:
        interop.interop_path("x_conformance.jsonl")
    assert "x_conformance.jsonl" in str(failed.value)


def test_present_corpus_is_returned(monkeypatch, tmp_path) -> None:
    (tmp_path / "ics").mkdir()
    monkeypatch.setattr(interop, "INTEROP", tmp_path)
    assert interop.interop_path("ics") == tmp_path / "ics"
