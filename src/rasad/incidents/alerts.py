"""Alerts: rules over the stored incidents of the last period — surges, Poisson tails,
mass-casualty incidents, actors new to an area, keyword watches.

The rules are data (`AlertRules.load`: the packaged ``rasad/data/alerts.yaml`` or a file of the
same shape), the incidents are rows of the `incidents` table (`rasad.incidents.trends.IncidentRow`)
and the evidence of their reports comes from the `events` table (`incident_evidence`).
`evaluate(incidents, rules, as_of)` looks at the last period (a day or the 7 days ending on
`as_of`, by default the day of the last report) and returns `Alert`s, each naming its rule, its
area and period, the baseline, the statistic and the incidents behind it.  Counts are of
incidents: a rise in reports of the same incidents raises nothing.

The trailing window of the count rules is the periods before the last one, from the day of the
first report in the database on (earlier periods are not monitored: an article recalling an old
attack does not make a baseline).  The Poisson tail is computed here in pure Python
(`poisson_tail`).  `write_alerts` replaces the `alerts` table; alert ids are stable hashes of the
rule, the area, the period and the alert's subject, so a re-run on the same data writes the same
rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from rasad.errors import ConfigError
from rasad.incidents.trends import (
    BY,
    PERIOD_DAYS,
    IncidentRow,
    Periods,
    admits,
    area_key,
    area_name,
    series,
)
from rasad.io.store import Store
from rasad.text.normalize import normalize_form

KINDS = {
    "surge": {"ratio", "baseline_periods", "min_periods", "min_baseline"},
    "poisson": {"alpha", "baseline_periods", "min_periods", "min_rate", "min_count"},
    "mass_casualty": {"min_fatalities"},
    "new_actor": {"lookback_periods", "min_history"},
    "keyword": {"words", "types"},
}
"""Each rule kind and the parameters it takes (`types` is optional)."""
_OPTIONAL = {"types"}


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    kind: str
    params: Mapping[str, Any]

    def number(self, key: str) -> float:
        return float(self.params[key])

    def window(self) -> int:
        """How many periods before the last one the rule reads."""
        return int(self.params.get("baseline_periods") or self.params.get("lookback_periods")
                   or 0)


@dataclass(frozen=True, slots=True)
class AlertRules:
    period: str
    by: str
    rules: tuple[Rule, ...]

    @staticmethod
    def load(path: Path | None = None) -> AlertRules:
        """The rules of `path`, or the packaged defaults; E501 when the file is malformed."""
        where = str(path) if path else "rasad/data/alerts.yaml"
        try:
            text = (path.read_text("utf-8") if path else resources.files("rasad")
                    .joinpath("data", "alerts.yaml").read_text("utf-8"))
            data = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read alert rules {where}: {exc}") from exc
        try:
            return AlertRules.from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"alert rules {where} are malformed: {exc}") from exc

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> AlertRules:
        period, by = data.get("period", "week"), data.get("by", "admin1")
        if period not in PERIOD_DAYS:
            raise ValueError(f"period must be one of {', '.join(PERIOD_DAYS)}, not {period!r}")
        if by not in BY:
            raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
        rules = []
        for entry in data["rules"]:
            kind, name = entry["kind"], str(entry["name"])
            if kind not in KINDS:
                raise ValueError(f"rule {name!r}: unknown kind {kind!r} ({', '.join(KINDS)})")
            params = {k: v for k, v in entry.items() if k not in ("kind", "name")}
            missing = KINDS[kind] - _OPTIONAL - set(params)
            unknown = set(params) - KINDS[kind]
            if missing or unknown:
                raise ValueError(f"rule {name!r}: missing {sorted(missing)}, unknown "
                                 f"{sorted(unknown)}")
            for key, value in params.items():
                if key not in ("words", "types") and not isinstance(value, int | float):
                    raise ValueError(f"rule {name!r}: {key} must be a number, not {value!r}")
            rules.append(Rule(name, kind, params))
        if len({rule.name for rule in rules}) != len(rules):
            raise ValueError("two rules have the same name")
        return AlertRules(period, by, tuple(rules))


@dataclass(slots=True)
class Alert:
    """One alert: which rule fired, where and when, on what figures, and on which incidents."""

    rule: str
    kind: str
    area: str
    country: str | None
    admin1: str | None
    period_start: str
    period_end: str
    count: int
    baseline: float | None
    statistic: str
    value: float
    threshold: float
    incident_ids: list[str]
    message: str
    subject: str = field(default="", repr=False)
    """What makes the alert one of several of its rule in one area and period (an incident id,
    an actor): part of its id."""

    @property
    def alert_id(self) -> str:
        key = "|".join(str(x) for x in (self.rule, self.country, self.admin1, self.period_start,
                                         self.subject))
        return "alert-" + hashlib.sha1(key.encode()).hexdigest()[:12]

    def to_dict(self) -> dict[str, Any]:
        out = {"alert_id": self.alert_id, **asdict(self)}
        del out["subject"]
        return out


def poisson_tail(count: int, rate: float) -> float:
    """P(X ≥ count) for X ~ Poisson(rate), summed in log space (no scipy)."""
    if count <= 0:
        return 1.0
    if rate <= 0:
        return 0.0
    # the lower tail P(X < count) when it is the smaller sum, else the upper tail directly
    if count <= rate:
        log_terms = [k * math.log(rate) - rate - math.lgamma(k + 1) for k in range(count)]
        return max(0.0, 1.0 - math.fsum(math.exp(t) for t in log_terms))
    total, k = 0.0, count
    term = math.exp(count * math.log(rate) - rate - math.lgamma(count + 1))
    while term > 1e-17 * max(total, 1e-300) and k < count + 10_000:
        total += term
        k += 1
        term *= rate / k
    return min(1.0, total)


def _per(days: int) -> str:
    return "day" if days == 1 else "week"


def _count_alerts(rule: Rule, incidents: Sequence[IncidentRow], rules: AlertRules,
                  periods: Periods, first: int) -> list[Alert]:
    """The surge or Poisson alerts of `rule`: the last period of each area against its trailing
    window (the periods from `first` on, at most `baseline_periods`)."""
    trends = series(incidents, rules.by, rules.period, periods.start(0), periods.end)
    last = periods.count - 1
    begin = max(first, last - int(rule.number("baseline_periods")))
    n = last - begin
    if n < int(rule.number("min_periods")):
        return []
    out = []
    unit = _per(periods.days)
    for cell in trends.areas:
        count = cell.incidents[last]
        mean = sum(cell.incidents[begin:last]) / n
        where = area_name(cell.area, rules.by)
        base = (f"{where}: {count} incidents in the {unit} {periods.label(last)} against a "
                f"mean of {mean:.2f} in the {n} {unit}s before")
        if rule.kind == "surge":
            ratio = rule.number("ratio")
            if mean < rule.number("min_baseline") or count < ratio * mean:
                continue
            statistic, value, threshold = "ratio", count / mean, ratio
            message = f"{base} (×{value:.2f} ≥ ×{ratio:g})"
        else:
            rate = max(mean, rule.number("min_rate"))
            p_value = poisson_tail(count, rate)
            if count < rule.number("min_count") or p_value >= rule.number("alpha"):
                continue
            statistic, value, threshold = "p_value", p_value, rule.number("alpha")
            message = f"{base} (Poisson P(X ≥ {count} | rate {rate:.2f}) = {p_value:.2g})"
        out.append(Alert(rule.name, rule.kind, where, cell.area[0], cell.area[1],
                         periods.start(last).isoformat(), periods.end.isoformat(), count,
                         round(mean, 4), statistic, value, threshold,
                         sorted(cell.members[last]), message))
    return out


def _area(incident: IncidentRow, by: str) -> tuple[str, str | None, str | None]:
    key = area_key(incident, by)
    if key is None:
        return "(no country)", None, None
    return area_name(key, by), key[0], key[1]


def _mass_casualty(rule: Rule, recent: Sequence[IncidentRow], rules: AlertRules,
                   periods: Periods) -> list[Alert]:
    threshold = rule.number("min_fatalities")
    out = []
    for incident in recent:
        if incident.fatalities is None or incident.fatalities < threshold:
            continue
        where, country, admin1 = _area(incident, rules.by)
        out.append(Alert(
            rule.name, rule.kind, where, country, admin1, periods.start(periods.count - 1)
            .isoformat(), periods.end.isoformat(), 1, None, "fatalities",
            float(incident.fatalities), threshold, [incident.incident_id],
            f"{where}: {incident.event_type} / {incident.sub_event_type or '-'} on "
            f"{incident.event_date}, {incident.fatalities} killed ({incident.reports} "
            f"report(s))", subject=incident.incident_id))
    return out


def _new_actors(rule: Rule, incidents: Sequence[IncidentRow], recent: Sequence[IncidentRow],
                periods: Periods, first: int) -> list[Alert]:
    """Actors with an incident in the last period in an admin1 where the lookback has none of
    theirs; only in admin1s with enough incidents in the lookback."""
    last = periods.count - 1
    begin = max(first, last - int(rule.number("lookback_periods")))
    if begin >= last:
        return []
    start, stop = periods.start(begin), periods.start(last) - dt.timedelta(days=1)
    history: dict[tuple[str, str], set[str]] = defaultdict(set)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for incident in incidents:
        if (incident.country and incident.admin1 and incident.event_date
                and start <= incident.event_date <= stop):
            area = (incident.country, incident.admin1)
            seen[area] += 1
            history[area].update(incident.actors)
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for incident in recent:
        if not (incident.country and incident.admin1):
            continue
        area = (incident.country, incident.admin1)
        if seen[area] < rule.number("min_history"):
            continue
        for actor in incident.actors:
            if actor not in history[area]:
                found[(*area, actor)].append(incident.incident_id)
    out = []
    for (country, admin1, actor), ids in sorted(found.items()):
        where = area_name((country, admin1), "admin1")
        out.append(Alert(
            rule.name, rule.kind, where, country, admin1, periods.start(last).isoformat(),
            periods.end.isoformat(), len(ids), float(seen[(country, admin1)]), "actor",
            float(len(ids)), 0.0, sorted(ids),
            f"{where}: {actor} in {len(ids)} incident(s), none in the "
            f"{last - begin} {_per(periods.days)}(s) before ({seen[(country, admin1)]} incidents "
            "there by others)", subject=actor))
    return out


def _word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(normalize_form(w)) for w in sorted(words, key=len,
                                                                           reverse=True))
    return re.compile(rf"(?<!\w)(?:[وف]?[بلك]?(?:ال)?)(?:{alternatives})")


def _keyword(rule: Rule, recent: Sequence[IncidentRow], rules: AlertRules, periods: Periods,
             evidence: Mapping[str, Sequence[str]]) -> list[Alert]:
    pattern = _word_pattern(rule.params["words"])
    types = set(rule.params.get("types") or ())
    grouped: dict[tuple[str, str | None, str | None], list[tuple[str, set[str]]]] = \
        defaultdict(list)
    for incident in recent:
        if types and incident.event_type not in types:
            continue
        matched = {m.group(0) for text in evidence.get(incident.incident_id, ())
                   for m in pattern.finditer(normalize_form(text))}
        if matched:
            grouped[_area(incident, rules.by)].append((incident.incident_id, matched))
    out = []
    for (where, country, admin1), hits in sorted(grouped.items(), key=lambda kv: kv[0][0]):
        words = sorted(set().union(*(m for _, m in hits)))
        out.append(Alert(
            rule.name, rule.kind, where, country, admin1,
            periods.start(periods.count - 1).isoformat(), periods.end.isoformat(), len(hits),
            None, "incidents", float(len(hits)), 1.0, sorted(i for i, _ in hits),
            f"{where}: {len(hits)} incident(s) whose reports say {', '.join(words)}"))
    return out


def default_as_of(incidents: Iterable[IncidentRow]) -> dt.date | None:
    """The day of the last report (the latest incident date when no report has a date)."""
    rows = list(incidents)
    days = [d for i in rows for d in (i.last_reported,) if d] or \
        [i.event_date for i in rows if i.event_date]
    return max(days, default=None)


def evaluate(incidents: Sequence[IncidentRow], rules: AlertRules, as_of: dt.date | None = None,
             evidence: Mapping[str, Sequence[str]] | None = None) -> list[Alert]:
    """The alerts of every rule on the last period ending on `as_of`, in rule order, then area.

    `evidence` maps an incident id to its reports' evidence texts (for keyword watches)."""
    as_of = as_of or default_as_of(incidents)
    if as_of is None:
        return []
    days = PERIOD_DAYS[rules.period]
    window = max((rule.window() for rule in rules.rules), default=0)
    periods = Periods(as_of, days, window + 1)
    reported = [d for i in incidents for d in (i.first_reported,) if d] or \
        [i.event_date for i in incidents if i.event_date]
    coverage = min(reported, default=periods.start(0))
    first = next((i for i in range(periods.count) if periods.start(i) >= coverage),
                 periods.count - 1)
    last_start = periods.start(periods.count - 1)
    recent = [i for i in incidents if i.event_date and admits(i, days)
              and last_start <= i.event_date <= as_of]
    alerts: list[Alert] = []
    for rule in rules.rules:
        if rule.kind in ("surge", "poisson"):
            alerts += _count_alerts(rule, incidents, rules, periods, first)
        elif rule.kind == "mass_casualty":
            alerts += _mass_casualty(rule, recent, rules, periods)
        elif rule.kind == "new_actor":
            alerts += _new_actors(rule, incidents, recent, periods, first)
        else:
            alerts += _keyword(rule, recent, rules, periods, evidence or {})
    return alerts


def incident_evidence(store: Store, incident_ids: Iterable[str]) -> dict[str, list[str]]:
    """Incident id → the evidence texts of its reports (`events.evidence`)."""
    wanted = sorted(set(incident_ids))
    out: dict[str, list[str]] = defaultdict(list)
    for chunk in range(0, len(wanted), 500):
        ids = wanted[chunk:chunk + 500]
        marks = ", ".join("?" * len(ids))
        for row in store.select(f"select incident_id, evidence from events where incident_id "
                                f"in ({marks}) order by event_id", ids):
            if row["evidence"]:
                out[row["incident_id"]].append(row["evidence"])
    return dict(out)


def write_alerts(store: Store, alerts: Sequence[Alert]) -> None:
    """Replace the `alerts` table with `alerts` (incident ids as a JSON list)."""
    store.replace_table("alerts", [{**a.to_dict(), "incident_ids": json.dumps(a.incident_ids)}
                                   for a in alerts])
