"""Trends (`rasad.incidents.trends`, `rasad trends`): incidents per area and period, the
trailing baseline, and the chart."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasad.cli import app
from rasad.incidents.trends import IncidentRow, Periods, series, sparkline
from rasad.io.filters import EventFilter
from rasad.io.store import Store
from rasad.records import RawDocument
from store_helpers import IDLIB, SANAA, event

END = dt.date(2015, 8, 11)


def row(n: str, day: dt.date | None, country: str | None = "SY", admin1: str | None = "Idlib",
        precision: int = 1, fatalities: int | None = 2, kind: str = "Battles") -> IncidentRow:
    return IncidentRow(n, kind, None, day, precision, country, admin1, fatalities, 3,
                       first_reported=END - dt.timedelta(days=34), last_reported=END)


def test_periods_end_on_the_last_day_and_are_whole() -> None:
    periods = Periods.within(dt.date(2015, 7, 21), END, 7)
    assert periods.count == 3 and periods.start(0) == dt.date(2015, 7, 22)
    assert periods.stop(2) == END and periods.start(2) == dt.date(2015, 8, 5)
    assert periods.index(dt.date(2015, 8, 4)) == 1 and periods.index(dt.date(2015, 7, 21)) \
        is None and periods.index(dt.date(2015, 8, 12)) is None


def test_series_counts_incidents_per_area_and_period_with_a_trailing_baseline() -> None:
    rows = [row(f"i{w}-{k}", END - dt.timedelta(days=7 * w + k), fatalities=k)
            for w in range(5) for k in range(2 if w else 6)]
    rows += [row("ye", END, "YE", "Sanaa"), row("vague", END, precision=3),
             row("undated", None), row("nowhere", END, None, None),
             row("protest", END, kind="Protests")]
    trends = series(rows, by="admin1", period="week", baseline_periods=4,
                    event_filter=EventFilter.build(types=["Battles"]))
    idlib = trends.areas[0]
    assert (idlib.area, idlib.incidents) == (("SY", "Idlib"), [2, 2, 2, 2, 6])
    assert idlib.baseline[-1] == 2.0 and idlib.change[-1] == pytest.approx(2.0)
    assert idlib.baseline[:4] == [None] * 4 and idlib.fatalities[-1] == 15
    assert dict(trends.left_out) == {"date vaguer than the period": 1, "no date": 1,
                                     "no country": 1}
    by_country = series(rows, by="country", period="day", since=END, until=END)
    assert [(s.area, s.incidents) for s in by_country.areas] == [
        (("SY", None), [2]), (("YE", None), [1])]
    assert sparkline([0, 1, 4]) == "▁▃█"


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    store = Store(path)
    text = "قصفت الطائرات مدينة إدلب فقتلت ثلاثة مدنيين"
    for n, (day, where) in enumerate([("2015-07-20", IDLIB), ("2015-07-27", IDLIB),
                                      ("2015-08-03", SANAA), ("2015-08-10", IDLIB)]):
        record = {"doc_id": f"d{n}", "genre": "news", "published": day, "places": [],
                  "events": [event(f"e{n}", text, text, where=where, event_date=day)],
                  "warnings": []}
        store.add_document(RawDocument(f"d{n}", text, published=day, source="s"), record)
    store.close()
    assert CliRunner().invoke(app, ["incidents", "--db", str(path), "--rebuild"]).exit_code == 0
    return path


def test_cli_trends_json_and_table(tmp_path: Path) -> None:
    path = _database(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["trends", "--db", str(path), "--by", "admin1", "--json",
                                 "--baseline", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["since"], data["until"], data["period_days"]) == ("2015-07-21", "2015-08-10", 7)
    assert [(a["area"], a["incidents"]) for a in data["areas"]] == [
        ("Idlib Governorate, Syria", [1, 0, 1]), ("Amanat al Asimah, Yemen", [0, 1, 0])]
    assert data["areas"][0]["baseline"] == [None, None, 0.5]
    assert data["areas"][0]["change"][-1] == 1.0
    table = runner.invoke(app, ["trends", "--db", str(path), "--country", "YE"])
    assert table.exit_code == 0 and "Yemen" in table.stdout and "Syria" not in table.stdout
    bad = runner.invoke(app, ["trends", "--db", str(path), "--period", "month"])
    assert bad.exit_code == 2 and "E304" in bad.output


def test_cli_trends_plot_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("arabic_reshaper")
    pytest.importorskip("bidi")
    path = _database(tmp_path)
    png = tmp_path / "chart.png"
    result = CliRunner().invoke(app, ["trends", "--db", str(path), "--plot", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_cli_trends_plot_without_the_extra_is_e502(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = _database(tmp_path)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails as if not installed
    result = CliRunner().invoke(app, ["trends", "--db", str(path), "--plot",
                                      str(tmp_path / "c.png")])
    assert result.exit_code == 2 and "E502" in result.output
    assert "rasad[plot]" in result.output and not (tmp_path / "c.png").exists()


def test_arabic_is_given_to_matplotlib_as_it_draws_it() -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("arabic_reshaper")
    pytest.importorskip("bidi")
    from rasad.incidents.plot import lays_out_text, shape_arabic

    shaped = shape_arabic("حلب")
    if lays_out_text():  # libraqm joins and orders the letters itself
        assert shaped == "حلب"
    else:  # presentation forms, in visual (left-to-right) order
        assert shaped == "\ufe90\ufee0\ufea3"
