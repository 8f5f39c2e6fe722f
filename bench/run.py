"""``make bench``: run every ``bench/bench_*.py`` (or those named) and print one table.

Each module defines ``run(folder: Path) -> list[Row]``; figures are in-process unless a module
says otherwise. ``python -m bench.run calendar social`` runs only those areas.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from pathlib import Path

from bench.support import Row

HERE = Path(__file__).resolve().parent


def discover(names: list[str]) -> list[str]:
    found = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if names:
        found = [f for f in found if f.removeprefix("bench_") in names or f in names]
    return found


def print_table(rows: list[Row]) -> None:
    print(f"{'area':<12} {'figure':<62} {'value':>10} {'unit':<6} {'target':<12} ok")
    print("-" * 110)
    for r in rows:
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        print(f"{r.area:<12} {r.what:<62} {r.value:>10.2f} {r.unit:<6} {r.target:<12} {ok}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("areas", nargs="*", help="only these areas (e.g. foundation calendar)")
    parser.add_argument("--keep", type=Path, help="keep generated databases in this folder")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="juntos-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for name in discover(args.areas):
            started = time.perf_counter()
            print(f"running {name} ...", file=sys.stderr, flush=True)
            rows += importlib.import_module(f"bench.{name}").run(folder)
            print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print_table(rows)
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
