"""``juntos demo`` killed at any moment: the next run completes it, to the same data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from juntos import demo, house
from juntos.cli import cli
from juntos.organisations import store as orgs
from juntos.organisations.models import OrganisationInput
from tests.support.clock import FrozenClock


def juntos(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "juntos", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "CI": ""})


def counts(path: Path) -> dict[str, int]:
    db = Database(path)
    try:
        return {t: db[t].count for t in db.table_names() if t != "demo_steps"}
    finally:
        db.close()


def wait_until_started(path: Path, process: subprocess.Popen[bytes]) -> float:
    """Poll until the load has begun (its ``started`` row is committed); return that moment."""
    while process.poll() is None:
        db = Database(path)
        try:
            if db["demo_steps"].exists() and db["demo_steps"].count:
                return time.monotonic()
        finally:
            db.close()
        time.sleep(0.01)
    return time.monotonic()


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_killed_demo_is_completed_by_the_next_one(tmp_path: Path) -> None:
    clean = tmp_path / "clean.db"
    assert run("--db", str(clean), "init").exit_code == 0
    process = juntos("--db", str(clean), "demo")
    started = wait_until_started(clean, process)
    assert process.wait(timeout=120) == 0
    took = time.monotonic() - started
    expected = counts(clean)
    assert expected["organisations"] > 250 and expected["ideas"] > 30

    states = []
    for fraction in (0.05, 0.25, 0.45, 0.65):
        path = tmp_path / f"killed-{fraction}.db"
        assert run("--db", str(path), "init").exit_code == 0
        process = juntos("--db", str(path), "demo")
        wait_until_started(path, process)
        time.sleep(took * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        db = house.open_db(path)
        state = demo.status(db, house.areas())
        assert state in ("partial", "complete"), state  # never half loaded and silent
        states.append(state)
        db.close()
        result = run("--db", str(path), "demo", "--if-incomplete")  # what `make run` does
        assert result.exit_code == 0, result.output
        assert counts(path) == expected, fraction
        db = house.open_db(path)
        assert demo.status(db, house.areas()) == "complete"
        db.close()
    assert states.count("partial") >= 2, states  # the kills did land inside the load


def test_if_incomplete_leaves_a_complete_demo_and_other_data_alone(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    run("--db", str(path), "init")
    db = house.open_db(path)
    orgs.create(db, OrganisationInput.validated(name="A real organisation", slug="real",
                                                 country="MZ"), now=FrozenClock()())
    db.close()
    result = run("--db", str(path), "demo", "--if-incomplete")
    assert result.exit_code == 0 and "Demo data loaded" not in result.output
    assert counts(path)["organisations"] == 1
