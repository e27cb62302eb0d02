"""Resolution: reports → incidents, and the incident record of each.

`resolve(reports, rules)` is a pure function: it sorts the reports by their stable key, finds the
candidate pairs by blocking (`compatible`, one family at a time in date order), scores them
(`compare`), and joins clusters greedily, best pair first (ties by key), when the average link
between the two clusters (a pair never compared counts 0) reaches the threshold.  Two rules keep
clusters honest:

- Day-precise, located reports of two clusters are joined only when every such cross pair passed
  blocking: a vaguer report (a week, an admin1, a country) joins a precise incident that contains
  it, but never bridges two precise incidents.
- A vaguer report whose above-threshold partners are precise reports that are not themselves one
  incident (different days or places) is a summary: it joins no precise report, and stays an
  incident of its own (or with other vague reports of the same summary).

Each member keeps the reason it joined: its best comparison with another member.  The same
reports in any order give the same incidents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasad.incidents.compare import Report, Rules, compare, compatible


@dataclass(slots=True)
class Member:
    report: Report
    reason: str
    score: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.report.doc_id, "event_id": self.report.key[1],
                "source": self.report.source,
                "published": self.report.published.isoformat() if self.report.published
                else None, "score": self.score, "reason": self.reason}


@dataclass(slots=True)
class Incident:
    """One real-world incident: its best fields, figures and every report of it."""

    incident_id: str
    event_type: str
    sub_event_type: str | None
    actors: list[str]
    event_date: str | None
    time_precision: int
    location: dict[str, Any] | None
    fatalities: int | None
    fatalities_min: int | None
    fatalities_max: int | None
    reports: int
    outlets: int
    first_reported: str | None
    last_reported: str | None
    members: list[Member] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "members"}
        out["members"] = [m.to_dict() for m in self.members]
        return out


def _pairs(reports: Sequence[Report], rules: Rules) -> dict[tuple[int, int], float]:
    """Every compatible pair (i < j, indexes into the sorted reports) and its score.

    Reports are grouped by family and country (a report without a country meets its whole
    family), then each scans the reports dated within its own slack, both ways (the window for a
    precise date, the span of a vaguer one): a pair is found by its vaguer side's scan.
    """
    groups: dict[tuple[str, str | None], list[int]] = {}
    for i, report in enumerate(reports):
        family = rules.families.get(report.event_type, report.event_type)
        groups.setdefault((family, report.country), []).append(i)
    out: dict[tuple[int, int], float] = {}
    widest = max(rules.date_window_days, *rules.precision_days.values())
    for (family, country), members in groups.items():
        if country is None:
            # a report without a country meets its whole family, within the widest date slack
            # (`compatible` then checks the pair's own): the same pairs as a scan of all
            others = [i for (f, _), m in groups.items() if f == family for i in m]
            by_day = sorted((i for i in others if reports[i].day),
                            key=lambda i: (reports[i].day or dt.date.min, i))
            ordinals = [(reports[i].day or dt.date.min).toordinal() for i in by_day]
            undated_others = [i for i in others if not reports[i].day]
            for i in members:
                day = reports[i].day
                if day is None:
                    near = others
                else:
                    low = bisect_left(ordinals, day.toordinal() - widest)
                    high = bisect_right(ordinals, day.toordinal() + widest)
                    near = by_day[low:high] + undated_others
                for j in near:
                    if j != i:
                        _add(out, reports, i, j, rules)
            continue
        dated = sorted((i for i in members if reports[i].day),
                       key=lambda i: (reports[i].day or dt.date.min, i))
        days = [(reports[i].day or dt.date.min).toordinal() for i in dated]
        slack = {i: max(rules.date_window_days,
                        rules.precision_days.get(reports[i].time_precision, 0)) for i in dated}
        for pos, i in enumerate(dated):
            low = bisect_left(days, days[pos] - slack[i])
            high = bisect_right(days, days[pos] + slack[i])
            for j in dated[low:high]:
                # each pair once, from the side whose span is wider (ties: the lower index)
                if (slack[i], j) > (slack[j], i):
                    _add(out, reports, i, j, rules)
        undated = [i for i in members if not reports[i].day]
        for i in undated:
            for j in members:
                if j != i:
                    _add(out, reports, i, j, rules)
    return out


def _add(out: dict[tuple[int, int], float], reports: Sequence[Report], i: int, j: int,
         rules: Rules) -> None:
    a, b = min(i, j), max(i, j)
    if (a, b) not in out and compatible(reports[a], reports[b], rules):
        out[(a, b)] = compare(reports[a], reports[b], rules).score


def _summaries(reports: Sequence[Report], pairs: dict[tuple[int, int], float],
               rules: Rules) -> set[int]:
    """Vague reports whose precise partners above the threshold are not one incident."""
    partners: dict[int, list[int]] = {}
    for (a, b), score in pairs.items():
        if score < rules.threshold:
            continue
        for vague, other in ((a, b), (b, a)):
            if not reports[vague].precise and reports[other].precise:
                partners.setdefault(vague, []).append(other)
    out = set()
    for vague, others in partners.items():
        for x in others:
            for y in others:
                linked = pairs.get((min(x, y), max(x, y)))
                if x < y and (linked is None or linked < rules.threshold):
                    out.add(vague)
    return out


class _Clusters:
    """Union–find over report indexes, with each cluster's members and what `may_join` asks of
    a cluster: its precise reports, its summaries, its documents."""

    def __init__(self, reports: Sequence[Report], summaries: set[int]) -> None:
        n = len(reports)
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.precise = [int(r.precise) for r in reports]
        self.summaries = [int(i in summaries) for i in range(n)]
        self.documents: list[set[str]] = [{r.doc_id} for r in reports]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        keep, gone = min(a, b), max(a, b)
        self.parent[gone] = keep
        self.members[keep].extend(self.members.pop(gone))
        self.precise[keep] += self.precise[gone]
        self.summaries[keep] += self.summaries[gone]
        self.documents[keep] |= self.documents[gone]
        self.documents[gone] = set()

    def may_join(self, a: int, b: int, reports: Sequence[Report],
                 pairs: dict[tuple[int, int], float], neighbours: dict[int, list[int]],
                 rules: Rules) -> bool:
        """Whether clusters `a` and `b` (roots) may join: a vaguer report never bridges two
        precise incidents (every cross pair of precise reports was compared), a summary does
        not swallow day events, two reports of one document stay apart, and the average link
        (pairs never compared count 0) reaches the threshold."""
        if (self.summaries[a] and self.precise[b]) or (self.summaries[b] and self.precise[a]):
            return False
        if not rules.same_document and self.documents[a] & self.documents[b]:
            return False
        small, other = (a, b) if len(self.members[a]) <= len(self.members[b]) else (b, a)
        total = precise_pairs = 0
        for x in self.members[small]:
            for y in neighbours.get(x, ()):
                if self.find(y) == other:
                    total += round(pairs[(x, y) if x < y else (y, x)] * SCALE)
                    precise_pairs += reports[x].precise and reports[y].precise
        if precise_pairs < self.precise[a] * self.precise[b]:
            return False
        size = len(self.members[a]) * len(self.members[b])
        return total / SCALE / size >= rules.threshold


SCALE = 10_000
"""Scores are rounded to 4 decimals (`compare`): summed as integers, a cluster's average link is
exact whatever the order its pairs come in."""


def cluster(reports: Sequence[Report], rules: Rules
            ) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Clusters of indexes into `reports` (already sorted by key), and the compared pairs."""
    pairs = _pairs(reports, rules)
    summaries = _summaries(reports, pairs, rules)
    clusters = _Clusters(reports, summaries)
    neighbours: dict[int, list[int]] = {}
    for a, b in pairs:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    order = sorted((p for p, score in pairs.items() if score >= rules.threshold),
                   key=lambda p: (-pairs[p], reports[p[0]].key, reports[p[1]].key))
    for a, b in order:
        ra, rb = clusters.find(a), clusters.find(b)
        if ra != rb and clusters.may_join(ra, rb, reports, pairs, neighbours, rules):
            clusters.union(ra, rb)
    return sorted(sorted(m) for m in clusters.members.values()), pairs


def resolve(reports: Iterable[Report], rules: Rules | None = None) -> list[Incident]:
    """The incidents of `reports`, whatever their order: every report in exactly one."""
    rules = rules or Rules.load()
    ordered = sorted(reports, key=lambda r: r.key)
    groups, pairs = cluster(ordered, rules)
    incidents = [incident_record([ordered[i] for i in group], group, pairs, rules)
                 for group in groups]
    return sorted(incidents, key=lambda inc: (inc.event_date or "", inc.incident_id))


def _precision_key(report: Report) -> tuple[int, int, tuple[str, str]]:
    return (report.time_precision + report.geo_precision, report.time_precision, report.key)


def incident_record(members: list[Report], indexes: list[int],
                    pairs: dict[tuple[int, int], float], rules: Rules) -> Incident:
    """The incident of one cluster: most precise place and date, conservative fatalities."""
    by_published = sorted(members, key=lambda r: (r.published is None,
                                                  r.published or dt.date.min, r.key))
    first = by_published[0]
    best_date = min(members, key=lambda r: (r.time_precision, r.key))
    best_place = min(members, key=lambda r: (r.geo_precision, not r.located, r.key))
    anchor = min(members, key=_precision_key)
    types = Counter(r.event_type for r in members)
    event_type = max(types, key=lambda t: (types[t], t == anchor.event_type, t))
    subs = Counter(r.sub_type for r in members if r.sub_type and r.event_type == event_type)
    sub_type = max(subs, key=lambda s: (subs[s], s == anchor.sub_type, s)) if subs else None
    actors: Counter[str] = Counter()
    for r in members:
        for slot in ("actor1", "actor2"):
            actor = r.event.get(slot)
            if isinstance(actor, dict) and actor.get("name"):
                actors[str(actor["name"])] += 1
    figures = [r.fatalities for r in members if r.fatalities is not None]
    credible = [r.fatalities for r in members if r.fatalities is not None
                and r.time_precision == best_date.time_precision
                and r.event.get("modality") in (None, "asserted")] or figures
    published = sorted(r.published.isoformat() for r in members if r.published)
    position = {id(r): i for r, i in zip(members, indexes, strict=True)}
    return Incident(
        incident_id="inc-" + hashlib.sha1("|".join(first.key).encode()).hexdigest()[:12],
        event_type=event_type, sub_event_type=sub_type,
        actors=sorted(actors, key=lambda a: (-actors[a], a)),
        event_date=best_date.day.isoformat() if best_date.day else None,
        time_precision=best_date.time_precision,
        location=best_place.event.get("location"),
        fatalities=min(credible) if credible else None,
        fatalities_min=min(figures) if figures else None,
        fatalities_max=max(figures) if figures else None,
        reports=len(members), outlets=len({r.source or r.doc_id for r in members}),
        first_reported=published[0] if published else None,
        last_reported=published[-1] if published else None,
        members=[_member(r, first, members, position, pairs, rules) for r in by_published],
    )


def _member(report: Report, first: Report, members: list[Report], position: dict[int, int],
            pairs: dict[tuple[int, int], float], rules: Rules) -> Member:
    if len(members) == 1:
        return Member(report, "alone: no other report matched", None)
    i = position[id(report)]
    best: tuple[float, str] | None = None
    for other in members:
        j = position[id(other)]
        score = pairs.get((min(i, j), max(i, j)))
        if other is not report and score is not None and (best is None or score > best[0]):
            best = (score, f"{compare(report, other, rules).reason} (with {other.doc_id})")
    if report is first:
        return Member(report, "first report" + (f"; {best[1]}" if best else ""),
                      best[0] if best else None)
    if best is None:
        return Member(report, "joined through the others", None)
    return Member(report, best[1], best[0])

