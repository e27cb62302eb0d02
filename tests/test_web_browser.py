"""The page in headless Chromium against `rasad serve` on 127.0.0.1 (skipped without chromium,
chromedriver or ../shared; CI installs them).

The database is built once, as a user would: ``rasad extract --db`` over the texts of
articles_dev.jsonl and the seed article, then ``rasad incidents --db`` and ``rasad alerts --db``.
The seed's must-show runs on a database of the seed article alone, made by the README's main
command.
"""

from __future__ import annotations

import json
import math
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web_helpers import browser_missing, chromium, open_page, rasad, serve, wait_for

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEV = SHARED / "gold" / "articles_dev.jsonl"
SEED = SHARED / "seed" / "sina_prison_opinion.jsonl"
GHWAYRAN = (36.47, 40.74)  # al-Sina'a (Ghwayran) prison, al-Hasakah city

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="session")
def driver() -> Iterator[Any]:
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    if not DEV.is_file() or not SEED.is_file():
        pytest.skip("../shared/data is not present")
    browser = chromium()
    yield browser
    browser.quit()


@pytest.fixture(scope="session")
def dev_server(driver: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web") / "dev.db"
    for source in (DEV, SEED):
        rasad("extract", str(source), "--db", str(db), "--quiet", "--out", str(db) + ".jsonl")
    rasad("incidents", "--db", str(db))
    rasad("alerts", "--db", str(db))
    with serve(db) as base:
        yield base


@pytest.fixture(scope="session")
def seed_server(driver: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("seed") / "rasad.db"
    rasad("extract", str(SEED), "--db", str(db), "--out", str(db) + ".jsonl")
    with serve(db) as base:
        yield base


def api(base: str, path: str, **params: Any) -> Any:
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as response:
        return json.loads(response.read())


def markers(driver: Any) -> int:
    return int(driver.execute_script("return document.getElementById('map').dataset.markers"))


def count(driver: Any) -> int:
    return int(driver.find_element("id", "count").text)


def test_the_map_shows_markers(driver: Any, dev_server: str) -> None:
    open_page(driver, dev_server + "/")
    every = api(dev_server, "/api/incidents", limit=20000)
    located = [i for i in every["items"] if i["latitude"] is not None]
    assert located
    assert markers(driver) == len(located)
    assert count(driver) == every["total"]
    drawn = driver.execute_script(
        "return document.querySelectorAll('#map .marker-cluster, #map .incident-marker').length")
    assert drawn > 0
    outlines = driver.execute_script("return window.rasad.outlines.getLayers().length")
    assert outlines > 100  # the offline basemap: country outlines
    assert driver.execute_script("return document.querySelectorAll('#map canvas').length")


def test_a_filter_changes_the_count(driver: Any, dev_server: str) -> None:
    from selenium.webdriver.support.ui import Select

    open_page(driver, dev_server + "/")
    before = count(driver)
    expected = api(dev_server, "/api/incidents", country="YE", limit=1)["total"]
    assert 0 < expected < before
    Select(driver.find_element("id", "f-country")).select_by_value("YE")
    wait_for(driver, f"return document.getElementById('count').textContent === '{expected}'")
    assert count(driver) == expected
    assert 0 < markers(driver) <= expected
    # The map follows the filter: Yemen's incidents fill the view.
    wait_for(driver, "const m = window.rasad.map; return m.getZoom() > 4 && window.rasad.cluster"
                     ".getLayers().every(l => m.getBounds().contains(l.getLatLng()))")
    text = driver.find_element("id", "f-q")
    text.send_keys("الحوثي")
    driver.find_element("css selector", "#filters button[type=submit]").click()
    narrowed = api(dev_server, "/api/incidents", country="YE", q="الحوثي", limit=1)["total"]
    wait_for(driver, f"return document.getElementById('count').textContent === '{narrowed}'")
    assert narrowed < expected


def test_brushing_the_timeline_filters_the_map(driver: Any, dev_server: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    open_page(driver, dev_server + "/")
    before = count(driver)
    timeline = driver.find_element("id", "timeline")
    width = timeline.size["width"]
    # Drag across the right tenth of the timeline (its last days, where most reports are).
    ActionChains(driver).move_to_element_with_offset(timeline, int(width * 0.4), 0) \
        .click_and_hold().move_by_offset(int(width * 0.09), 0).release().perform()
    label = wait_for(driver, "return document.getElementById('brush-label').textContent")
    first, last = label.split(" → ")
    expected = api(dev_server, "/api/incidents", date_from=first, date_to=last, limit=1)["total"]
    wait_for(driver, f"return document.getElementById('count').textContent === '{expected}'")
    assert expected < before
    driver.find_element("id", "brush-clear").click()
    wait_for(driver, f"return document.getElementById('count').textContent === '{before}'")


def _first_marked_incident(base: str) -> tuple[str, dict[str, Any]]:
    """An incident whose first report has marked spans in its evidence."""
    for item in api(base, "/api/incidents", limit=200)["items"]:
        detail = api(base, f"/api/incidents/{urllib.parse.quote(item['incident_id'])}")
        if detail["reports_list"][0]["view"]["evidence"]["marks"]:
            return item["incident_id"], detail
    raise AssertionError("no incident with marked evidence")


def test_the_incident_panel_highlights_the_evidence(driver: Any, dev_server: str) -> None:
    incident_id, detail = _first_marked_incident(dev_server)
    open_page(driver, dev_server + "/")
    driver.find_element("css selector", f"#incident-list li[data-id='{incident_id}']").click()
    wait_for(driver, "return document.querySelectorAll('#panel .report').length > 0")
    first = detail["reports_list"][0]["view"]["evidence"]
    shown = driver.execute_script(
        "return [...document.querySelector('#panel .report .evidence').querySelectorAll('mark')]"
        ".map(m => [m.dataset.field, m.textContent])")
    marks = first["marks"]
    crossing = {i for i, a in enumerate(marks) for b in marks
                if a["start"] < b["start"] < a["end"] < b["end"]
                or b["start"] < a["start"] < b["end"] < a["end"]}
    expected = [[m["field"], first["text"][m["start"]:m["end"]]]
                for i, m in enumerate(marks) if i not in crossing]
    assert expected
    assert [mark for mark in shown if mark in expected] == expected  # nested ones too
    sentence = driver.find_element("css selector", "#panel .report .evidence").text
    assert " ".join(sentence.split()) == " ".join(first["text"].split())


def test_clicking_an_alert_shows_its_incidents(driver: Any, dev_server: str) -> None:
    alerts = api(dev_server, "/api/alerts")["items"]
    assert alerts
    open_page(driver, dev_server + "/")
    wait_for(driver, f"return document.querySelectorAll('#alert-list li[data-id]').length === "
                     f"{len(alerts)}")
    shown = driver.execute_script(
        "return [...document.querySelectorAll('#alert-list li[data-id]')].map(l => l.dataset.id)")
    assert shown == [a["alert_id"] for a in alerts]
    wait_for(driver, "return document.querySelectorAll('#trend-table tr[data-country]').length")
    before = count(driver)
    alert = alerts[0]
    ids = set(alert["incident_ids"])
    assert 0 < len(ids) < before
    driver.find_element("css selector", f"#alert-list li[data-id='{alert['alert_id']}']").click()
    wait_for(driver, f"return document.getElementById('count').textContent === '{len(ids)}'")
    listed = driver.execute_script("return [...document.querySelectorAll('#incident-list "
                                   "li[data-id]')].map(l => l.dataset.id)")
    assert set(listed) == ids
    located = [i for i in api(dev_server, f"/api/alerts/{alert['alert_id']}")["incidents"]
               if i["latitude"] is not None]
    wait_for(driver, f"return document.getElementById('map').dataset.markers === '{len(located)}'")
    assert not driver.find_element("id", "alert-focus").get_attribute("hidden")
    driver.find_element("id", "alert-clear").click()
    wait_for(driver, f"return document.getElementById('count').textContent === '{before}'")
    assert markers(driver) > len(located)


def test_english_toggle(driver: Any, dev_server: str) -> None:
    open_page(driver, dev_server + "/")
    assert driver.execute_script("return document.documentElement.dir") == "rtl"
    driver.find_element("id", "lang").click()
    assert driver.execute_script("return document.documentElement.dir") == "ltr"
    assert "Battles" in driver.find_element("id", "legend").text
    driver.find_element("id", "lang").click()
    assert "معارك" in driver.find_element("id", "legend").text


def test_the_page_requests_nothing_outside_127_0_0_1(driver: Any, dev_server: str) -> None:
    open_page(driver, dev_server + "/")
    driver.find_element("css selector", "#incident-list li").click()
    wait_for(driver, "return document.querySelectorAll('#panel .report').length > 0")
    names = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert any("/api/incidents" in name for name in names)  # the check does see requests
    outside = [name for name in names if not name.startswith(dev_server + "/")]
    assert outside == []


def test_seed_article_shows_at_ghwayran_with_evidence(driver: Any, seed_server: str) -> None:
    """The README's main command, then rasad serve: the seed's events at the prison."""
    open_page(driver, seed_server + "/")
    points = driver.execute_script(
        "return window.rasad.cluster.getLayers().map(m => [m.getLatLng().lat, m.getLatLng().lng])")
    assert points
    for lat, lon in points:
        assert math.hypot(lat - GHWAYRAN[0], lon - GHWAYRAN[1]) < 0.1
    items = driver.find_elements("css selector", "#incident-list li")
    battle = next(li for li in items if "Ghwayran" in li.text and "Armed clash" in li.text)
    battle.click()
    wait_for(driver, "return document.querySelectorAll('#panel .report').length > 0")
    fields = driver.execute_script(
        "return [...document.querySelectorAll('#panel mark[data-field]')]"
        ".map(m => [m.dataset.field, m.textContent])")
    assert ["actor1", "قسد"] in fields
    assert any(field == "location" and "الصناعة" in text for field, text in fields)


def test_the_api_docs_render_from_packaged_assets(driver: Any, dev_server: str) -> None:
    driver.get(dev_server + "/docs")
    wait_for(driver, "return document.querySelectorAll('.swagger-ui .opblock').length > 5", 30)
    names = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert any(name.endswith("/openapi.json") for name in names)
    assert [name for name in names if not name.startswith(dev_server + "/")] == []
