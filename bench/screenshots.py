"""Screenshots of the app for the documentation: `python -m bench.screenshots [DATA_DIR [PAGE ...]]`.

Serves the app on the given data folder (default: ./data, the demo `make run` builds), opens
each page in Debian's chromium as the role that uses it, at 1440 px (a desk) and 390 px (a
phone), and writes docs/images/<page>-<width>.png. The user guide links them. Page ids after
the data folder take only those pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.server import CHROMIUM, CHROMIUM_ARGS, ROOT, app_server, wait_ready

SHOTS = (  # (page, the role that reads it, URL parameters)
    ("overview", "commander", ""),
    ("throughput", "commander", "&split=bcu"),
    ("workload", "commander", ""),
    ("categories", "planner", ""),
    ("data_quality", "analyst", ""),
    ("resources", "planner", ""),
    ("scenarios", "planner", ""),
    ("briefing", "mayors_office", ""),
    ("reinvestigation", "commander", ""),
    ("audit", "commander", ""),
)
WIDTHS = (1440, 390)
OUT = ROOT / "docs" / "images"


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    data = Path(argv[0]) if argv else ROOT / "data"
    wanted = set(argv[1:])
    shots = [s for s in SHOTS if not wanted or s[0] in wanted]
    OUT.mkdir(parents=True, exist_ok=True)
    with app_server(data) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for width in WIDTHS:
            for page_id, role, extra in shots:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{server.url}/{page_id}?role={role}{extra}")
                wait_ready(page)
                path = OUT / f"{page_id}-{width}.png"
                page.screenshot(path=str(path), full_page=False)
                print(path.relative_to(ROOT))
                page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
