"""The fast paths of resolution give what the plain definitions give: blocking finds every
compatible pair (reports without a country included), and clustering joins exactly the clusters
the naive average-link check over every cross pair would join."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from rasad.incidents import Rules, compare, compatible, make_report
from rasad.incidents.compare import Report
from rasad.incidents.resolve import _pairs, _summaries, cluster

PLACES = [(36.2021, 37.1343, "SY", "Aleppo"), (36.23, 37.16, "SY", "Aleppo"),
          (34.7324, 36.7137, "SY", "Homs"), (33.31, 44.36, "IQ", "Baghdad"),
          (None, None, "SY", "Aleppo"), (None, None, "SY", None), (None, None, None, None)]
TEXTS = ["قتل عشرة أشخاص في تفجير سيارة مفخخة في حلب", "غارة جوية على حلب تقتل مدنيين",
         "اشتباكات عنيفة في حمص", "انفجار عبوة ناسفة في بغداد"]


def random_reports(rng: random.Random, n: int) -> list[Report]:
    out = []
    for i in range(n):
        lat, lon, country, admin1 = rng.choice(PLACES)
        day = rng.choice([None, *(f"2015-08-{d:02d}" for d in range(1, 9))])
        event: dict[str, Any] = {
            "event_id": f"e{i}",
            "event_type": rng.choice(["Battles", "Explosions/Remote violence", "Protests"]),
            "sub_event_type": rng.choice(["Armed clash", "Air/drone strike", None]),
            "actor1": {"name": rng.choice(["Islamic State", "Military Forces of Syria"]),
                       "inter": rng.choice([1, 2])},
            "location": {"country": country, "admin1": admin1, "latitude": lat,
                         "longitude": lon, "geo_precision": 1 if lat else rng.choice([2, 3])},
            "event_date": day, "time_precision": rng.choice([1, 1, 1, 2, 3]),
            "fatalities": rng.choice([None, 3, 10]), "evidence": {"text": rng.choice(TEXTS)}}
        published = None if day is None and rng.random() < 0.5 else "2015-08-15"
        out.append(make_report(event, f"d{rng.randrange(n)}", published, "x", i))
    return sorted(out, key=lambda r: r.key)


def naive_cluster(reports: Sequence[Report], rules: Rules) -> list[list[int]]:
    """Resolution's clustering as first written: every cross pair checked at every join."""
    pairs = _pairs(reports, rules)
    summaries = _summaries(reports, pairs, rules)
    members = {i: [i] for i in range(len(reports))}
    root = list(range(len(reports)))
    order = sorted((p for p, s in pairs.items() if s >= rules.threshold),
                   key=lambda p: (-pairs[p], reports[p[0]].key, reports[p[1]].key))
    for a, b in order:
        ra, rb = root[a], root[b]
        if ra == rb:
            continue
        ok, total = True, 0.0
        for x in members[ra]:
            for y in members[rb]:
                score = pairs.get((min(x, y), max(x, y)))
                px, py = reports[x].precise, reports[y].precise
                if ((px and py and score is None) or (x in summaries and py)
                        or (y in summaries and px) or reports[x].doc_id == reports[y].doc_id):
                    ok = False
                total += score or 0.0
        if ok and total / (len(members[ra]) * len(members[rb])) >= rules.threshold:
            keep, gone = min(ra, rb), max(ra, rb)
            for i in members[gone]:
                root[i] = keep
            members[keep].extend(members.pop(gone))
    return sorted(sorted(m) for m in members.values())


def test_blocking_finds_every_compatible_pair() -> None:
    rules = Rules.load()
    for seed in range(3):
        reports = random_reports(random.Random(seed), 160)
        brute = {(i, j): compare(reports[i], reports[j], rules).score
                 for i in range(len(reports)) for j in range(i + 1, len(reports))
                 if compatible(reports[i], reports[j], rules)}
        assert _pairs(reports, rules) == brute
        assert any(r.country is None for r in reports) and len(brute) > 100


def test_clustering_joins_what_the_naive_average_link_joins() -> None:
    rules = Rules.load()
    for seed in range(3):
        reports = random_reports(random.Random(seed + 10), 200)
        groups, _ = cluster(reports, rules)
        assert groups == naive_cluster(reports, rules)
        assert any(len(g) > 2 for g in groups)
