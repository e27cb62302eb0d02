"""Draw the trends charts the README shows, from a corpus database, into docs/.

The database is the SaudiNewsNet corpus as `rasad extract --db` stores it, with its incidents
resolved (the README, "Trends", gives the commands and what the charts were drawn from):

    rasad extract ../shared/data/corpora/saudinewsnet/articles.jsonl.gz --db snn.db -o /dev/null
    rasad incidents --db snn.db --rebuild
    python scripts/charts.py snn.db

Writes docs/trends_countries.png (incidents per day in the six countries with most) and
docs/trends_syria_iraq.png (incidents per day in the first-level divisions of Syria and Iraq
with most), through the same functions as `rasad trends --plot` (needs the plot extra).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rasad.incidents.plot import plot_trends
from rasad.incidents.trends import load_incidents, publication_days, series
from rasad.io.filters import EventFilter
from rasad.io.store import Store

DOCS = Path(__file__).resolve().parents[1] / "docs"
CHARTS = {
    "trends_countries.png": ("country", (), ""),
    "trends_syria_iraq.png": ("admin1", ("SY", "IQ"), "in Syria and Iraq"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--out", type=Path, default=DOCS, help="folder (default: docs/)")
    parser.add_argument("--source", default="SaudiNewsNet (30,346 Saudi newspaper articles, "
                        "21 Jul–11 Aug 2015)", help="the source line's corpus description")
    args = parser.parse_args(argv)
    store = Store(args.db, create=False)
    incidents = load_incidents(store)
    days = publication_days(store)
    store.db.close()
    for name, (by, countries, scope) in CHARTS.items():
        trends = series(incidents, by=by, period="day", baseline_periods=7,
                        event_filter=EventFilter.build(countries=countries), report_days=days)
        path = args.out / name
        plot_trends(trends, path, top=6, source=args.source, scope=scope)
        print(f"{path}: {sum(s.total_incidents for s in trends.areas)} incidents, "
              f"{sum(trends.left_out.values())} left out")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
