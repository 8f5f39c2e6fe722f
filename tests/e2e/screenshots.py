"""Screenshots of the main pages at 360 px and 1280 px, in English and Portuguese.

``make screenshots`` runs this: the demo in a fresh database under a temporary folder, the app on
a free loopback port, Chromium logged in as the demo member. PNGs land in ``screenshots/``
(git-ignored), one per page, width and language, and a line per page reports what scrolls the
page sideways or is too small to tap.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from juntos import demo, house
from juntos.clock import system_clock
from juntos.settings import Settings
from tests.e2e.conftest import CHROMIUM_ARGS, find_chromium, free_port, start_server
from tests.e2e.main_pages import LOCALES, MAIN_PAGES, MEASURE, NARROW, WIDE, log_in_as_member


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--only", nargs="*", default=None, help="page names (default: all)")
    parser.add_argument("--lang", nargs="*", default=list(LOCALES))
    parser.add_argument("--full", action="store_true", help="whole pages, not the first screen")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    problems = 0
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_path=Path(folder) / "juntos.db", secret_key="screenshots",
                            host="127.0.0.1", port=free_port())
        db = house.open_db(settings.db_path)
        demo.load(db, house.areas(), now=system_clock())
        db.close()
        server, thread = start_server(settings)
        base = f"http://127.0.0.1:{settings.port}"
        try:
            with sync_playwright() as p:
                executable = find_chromium(p)
                if executable is None:
                    print("No Chromium found (set CHROMIUM=/path/to/chrome)", file=sys.stderr)
                    return 2
                browser = p.chromium.launch(executable_path=executable, headless=True,
                                            args=CHROMIUM_ARGS)
                for lang in args.lang:
                    for size in (NARROW, WIDE):
                        context = browser.new_context(viewport=size, locale=LOCALES[lang])
                        page = context.new_page()
                        log_in_as_member(page, base)
                        for name, path in MAIN_PAGES:
                            if args.only and name not in args.only:
                                continue
                            page.goto(base + path)
                            page.wait_for_load_state("networkidle")
                            found = page.evaluate(MEASURE)
                            file = args.out / f"{name}-{size['width']}-{lang}.png"
                            page.screenshot(path=str(file), full_page=args.full)
                            wide = found["scrollWidth"] > found["width"]
                            problems += wide or bool(found["small"])
                            flag = "WIDE " if wide else "ok   "
                            small = "; ".join(found["small"])
                            print(f"{flag}{file.name} {found['scrollWidth']}px "
                                  f"{' '.join(found['wide'])}"
                                  + (f" | small: {small}" if small else ""))
                        context.close()
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    print(f"{problems} page(s) wider than the screen or with small targets; PNGs in {args.out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
