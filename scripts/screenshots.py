"""Regenerate the README's screenshots of the page (docs/monitor_*.png) with headless Chromium.

Builds two databases as a user would (``rasad extract --db``, ``rasad incidents --db``, ``rasad
alerts --db``): the
texts of ../shared/data/gold/articles_dev.jsonl with the seed article (the map, the timeline and
the list), and the seed article alone (the README's main command: its incident panel at al-Sina'a
prison).  Each is served by ``rasad serve`` on 127.0.0.1 and photographed:

- docs/monitor_map.png: the overview, in Arabic (right to left);
- docs/monitor_incident.png: the seed's incident panel with the evidence highlighted;
- docs/monitor_english.png: the overview in English (left to right), filtered to Yemen;
- docs/monitor_alert.png: the first stored alert clicked, its incidents alone on the map.

Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver) and selenium.

    python scripts/screenshots.py [--shared ../shared] [--out docs]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from web_helpers import browser_missing, chromium, open_page, rasad, serve, wait_for  # noqa: E402


def build(db: Path, *sources: Path) -> None:
    for source in sources:
        rasad("extract", str(source), "--db", str(db), "--quiet", "--out", str(db) + ".jsonl")
    rasad("incidents", "--db", str(db))
    rasad("alerts", "--db", str(db))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    reason = browser_missing()
    if reason:
        raise SystemExit(reason)
    dev = args.shared / "data" / "gold" / "articles_dev.jsonl"
    seed = args.shared / "data" / "seed" / "sina_prison_opinion.jsonl"
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        dev_db, seed_db = Path(work) / "dev.db", Path(work) / "seed.db"
        build(dev_db, dev, seed)
        build(seed_db, seed)
        driver = chromium(1400, 860)
        try:
            with serve(dev_db) as base:
                open_page(driver, base + "/")
                wait_for(driver, "return document.querySelectorAll('#alert-list li[data-id]')"
                         ".length && document.querySelectorAll('#trend-table tr').length")
                time.sleep(1)  # let the clusters settle
                driver.save_screenshot(str(args.out / "monitor_map.png"))
                driver.find_element("css selector", "#alert-list li[data-id]").click()
                wait_for(driver, "return !document.getElementById('alert-focus').hidden")
                time.sleep(1.5)  # the map's zoom animation
                driver.save_screenshot(str(args.out / "monitor_alert.png"))
                # A fresh browser: in the one above, headless Chromium can leave Leaflet's
                # first zoom animation unfinished, and the map would not follow the filter.
                driver.quit()
                driver = chromium(1400, 860)
                driver.get(base + "/?lang=en")
                wait_for(driver, "return document.body.dataset.ready === '1'")
                driver.execute_script(
                    "document.getElementById('f-country').value = 'YE';"
                    "document.getElementById('filters').requestSubmit();")
                wait_for(driver, "return !document.getElementById('status').dataset.loading "
                         "&& window.rasad.state.incidents.every(i => i.country === 'YE')")
                time.sleep(1.5)  # the map's zoom animation
                driver.save_screenshot(str(args.out / "monitor_english.png"))
            with serve(seed_db) as base:
                open_page(driver, base + "/")
                items = driver.find_elements("css selector", "#incident-list li")
                next(li for li in items if "Armed clash" in li.text).click()
                wait_for(driver, "return document.querySelectorAll('#panel .report').length")
                time.sleep(1)
                driver.save_screenshot(str(args.out / "monitor_incident.png"))
        finally:
            driver.quit()
    for name in ("monitor_map.png", "monitor_alert.png", "monitor_incident.png",
                 "monitor_english.png"):
        print(args.out / name)


if __name__ == "__main__":
    main()
