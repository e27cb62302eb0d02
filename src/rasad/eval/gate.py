"""The quality gate: score floors pinned in a baseline file, checked by the tests, raised by one
command, lowered only on purpose.

Three suites are scored.  ``fixtures``: the licence-clean gold files the project ships under
``tests/fixtures/quality/`` (``articles.jsonl``, ``gsr.jsonl``, ``negatives.jsonl``; an
``idrisi.jsonl`` or ``ner.conll`` placed there is picked up too).  ``dev`` and ``check``: the gold
sets of ``../shared`` (`rasad.eval.kinds.SHARED_SETS`), when that folder exists: ``dev`` holds
the development set of each kind and ``incidents`` (`incidents_dev.jsonl`, scored as
`articles`), ``check`` holds ``articles`` (`articles_check.jsonl`, the guard against
over-fitting: scored, never read).

The baseline (``tests/quality_baseline.json``) maps suite → set name (the kind, or ``incidents``)
→ metric → ``{"min": x}`` (a floor) or ``{"max": x}`` (a ceiling, for lower-is-better scores such
as the false-alarm rate).  A set without an entry fails the gate ("no floors pinned"), except
those marked `floors_optional` (``check/articles``, ``dev/incidents``): they have no floor yet,
are skipped with a note, and ``--update`` pins them.
`floor_failures(result, floors)` lists the bounds a result misses; `assert_floors` raises E404.
`update_floors` moves the bounds to a new measurement: up freely (floors are rounded down,
ceilings up, to four decimals, so the measurement that set them always passes), down only with
``allow_lower``, and every lowered bound is written to ``CHANGELOG.md`` with its reason
(`rasad eval gate --update`, `--allow-lower --reason TEXT`).  A score with nothing to score yet
(None: an accuracy over no matched pair) gets the trivial bound (floor 0, ceiling 1), so every
score a kind reports has a bound; a score measured as None passes a floor of 0 only.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from rasad.errors import ConfigError, EvalError
from rasad.eval.common import EvalResult
from rasad.eval.kinds import ScoredSet, evaluate, is_available, shared_sets
from rasad.settings import Settings

BASELINE = Path("tests/quality_baseline.json")
FIXTURES = Path("tests/fixtures/quality")
CHANGELOG = Path("CHANGELOG.md")
FIXTURE_SETS = {"articles": "articles.jsonl", "gsr": "gsr.jsonl",
                "negatives": "negatives.jsonl", "idrisi": "idrisi.jsonl", "ner": "ner.conll"}
"""kind → its fixture file under the fixtures folder (used when present)."""
CHANGELOG_SECTION = "## Quality floors lowered"
DECIMALS = 4
_EPSILON = 1e-9

Floors = dict[str, dict[str, float]]
"""metric → {"min": x} or {"max": x}."""


@dataclass(frozen=True, slots=True)
class FloorChange:
    """One bound moved by `update_floors`."""

    suite: str
    kind: str
    metric: str
    bound: str
    old: float | None
    new: float

    @property
    def lowered(self) -> bool:
        """Made easier to pass: a floor moved down or a ceiling moved up."""
        if self.old is None:
            return False
        return self.new < self.old if self.bound == "min" else self.new > self.old

    def describe(self) -> str:
        label = "floor" if self.bound == "min" else "ceiling"
        old = "none" if self.old is None else f"{self.old:.{DECIMALS}f}"
        return f"{self.suite}/{self.kind} {self.metric} {label} {old} → {self.new:.{DECIMALS}f}"


SUITES = ("fixtures", "dev", "check")


def suite_sets(suite: str, fixtures: Path, shared: Path) -> dict[str, ScoredSet]:
    """name → gold set of a suite, for the files that exist and the kinds in this build."""
    if suite == "fixtures":
        sets = [ScoredSet("fixtures", kind, kind, Path(fixtures) / name)
                for kind, name in FIXTURE_SETS.items()]
    elif suite in SUITES:
        sets = shared_sets(shared, suite)
    else:
        raise EvalError(f"unknown gate suite {suite!r}; expected one of {', '.join(SUITES)}",
                        code="E403")
    return {s.name: s for s in sets if s.path.is_file() and is_available(s.kind)}


def load_baseline(path: Path) -> dict[str, dict[str, Floors]]:
    """The pinned bounds (suite → kind → metric → bound); empty when the file does not exist."""
    if not Path(path).exists():
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the quality baseline {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"the quality baseline {path} is not a JSON object")
    return {suite: kinds for suite, kinds in data.items() if not suite.startswith("_")}


def write_baseline(path: Path, baseline: dict[str, dict[str, Floors]]) -> None:
    """The baseline as JSON with one metric a line, so that a raised floor is a one-line diff."""
    about = ("Quality floors of tests/test_quality_gate.py. Raise: rasad eval gate --update. "
             "Lowering needs --allow-lower --reason TEXT and is logged in CHANGELOG.md.")
    lines = ["{", f'  "_about": {json.dumps(about)},']
    suites = list(baseline.items())
    for s, (suite, kinds) in enumerate(suites):
        lines.append(f"  {json.dumps(suite)}: {{")
        for k, (kind, floors) in enumerate(kinds.items()):
            lines.append(f"    {json.dumps(kind)}: {{")
            rows = [f"      {json.dumps(metric)}: {json.dumps(bound)}"
                    for metric, bound in floors.items()]
            lines.append(",\n".join(rows))
            lines.append("    }" + ("," if k < len(kinds) - 1 else ""))
        lines.append("  }" + ("," if s < len(suites) - 1 else ""))
    lines.append("}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def floor_failures(result: EvalResult, floors: Floors) -> list[str]:
    """Every bound in `floors` that `result` misses, as readable lines."""
    failures = []
    for metric, bound in floors.items():
        measured = result.metrics.get(metric)
        if "min" in bound:
            floor = bound["min"]
            value = measured if isinstance(measured, (int, float)) else 0.0
            if value < floor - _EPSILON:
                failures.append(f"{result.kind} {metric} = {_show(measured)} is below its "
                                f"floor {floor:.{DECIMALS}f}")
        if "max" in bound and isinstance(measured, (int, float)):
            ceiling = bound["max"]
            if measured > ceiling + _EPSILON:
                failures.append(f"{result.kind} {metric} = {_show(measured)} is above its "
                                f"ceiling {ceiling:.{DECIMALS}f}")
    return failures


def assert_floors(result: EvalResult, floors: Floors) -> None:
    """Raise E404 when `result` misses any bound of `floors`."""
    failures = floor_failures(result, floors)
    if failures:
        raise EvalError("quality floor missed: " + "; ".join(failures), code="E404")


def _show(value: float | int | None) -> str:
    return "none" if value is None else f"{value:.{DECIMALS}f}"


def pinned(value: float, bound: str) -> float:
    """The bound a measurement pins: rounded down for floors, up for ceilings."""
    scale = 10.0 ** DECIMALS
    rounded = math.floor(value * scale + _EPSILON) if bound == "min" \
        else math.ceil(value * scale - _EPSILON)
    return rounded / scale


def update_floors(suite: str, result: EvalResult, floors: Floors, allow_lower: bool = False,
                  name: str | None = None
                  ) -> tuple[Floors, list[FloorChange], list[FloorChange]]:
    """(new floors, changes made, lowerings refused) for a new measurement of one gold set
    (`name` in its suite; default: the result's kind)."""
    new = {metric: dict(bound) for metric, bound in floors.items()}
    made: list[FloorChange] = []
    refused: list[FloorChange] = []
    for metric, measured in result.scores().items():
        bound = "max" if result.is_lower_better(metric) else "min"
        old = floors.get(metric, {}).get(bound)
        if measured is None:
            if metric in floors:
                continue
            measured = 1.0 if bound == "max" else 0.0  # nothing to score yet: pin the bound
        value = pinned(measured, bound)
        if old is not None and abs(value - old) < _EPSILON:
            continue
        change = FloorChange(suite, name or result.kind, metric, bound, old, value)
        if change.lowered and not allow_lower:
            refused.append(change)
            continue
        new[metric] = {bound: value}
        made.append(change)
    return new, made, refused


def log_lowered(changelog: Path, changes: list[FloorChange], reason: str,
                today: dt.date | None = None) -> None:
    """Append one CHANGELOG line per lowered bound, under the section that collects them."""
    if not changes:
        return
    day = (today or dt.date.today()).isoformat()
    lines = "".join(f"- {day}: {change.describe()} — {reason}\n" for change in changes)
    path = Path(changelog)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Changelog\n"
    if CHANGELOG_SECTION not in text:
        text = text.rstrip("\n") + f"\n\n{CHANGELOG_SECTION}\n"
    start = text.index(CHANGELOG_SECTION)
    next_section = text.find("\n## ", start + len(CHANGELOG_SECTION))
    end = len(text) if next_section < 0 else next_section + 1
    section = text[start:end].rstrip("\n")
    section += "\n" if section.rsplit("\n", 1)[-1].startswith("- ") else "\n\n"
    section += lines + ("\n" if next_section >= 0 else "")
    path.write_text(text[:start] + section + text[end:], encoding="utf-8")


VERDICT_SHOWN = 3
"""How many misses the one-line verdict names before "and N more"."""


@dataclass(slots=True)
class GateOutcome:
    """What a gate run measured, what missed, and what it changed.

    `checked` counts the bounds a check compared (or, after an update, the bounds pinned);
    `unpinned` the suite/kind pairs measured without any bound; `failures` every readable miss
    (a missed bound, or a kind without bounds).
    """

    results: dict[tuple[str, str], EvalResult]
    """(suite, set name) → its measurement."""
    failures: list[str]
    changes: list[FloorChange]
    refused: list[FloorChange]
    skipped: list[str]
    checked: int = 0
    missed: int = 0
    unpinned: list[str] = field(default_factory=list)
    updated: bool = False

    @property
    def passed(self) -> bool:
        return not (self.failures or self.refused)

    def verdict(self) -> str:
        """One line that says how the run ended: ``gate: PASS (57 floors met)``, ``gate: FAIL —
        2 of 57 floors missed: …``, ``gate: UPDATED (…)``; it names the first misses."""
        skipped = f"; {len(self.skipped)} skipped (see above)" if self.skipped else ""
        if self.updated:
            if self.refused:
                return (f"gate: FAIL — {len(self.refused)} floor(s) would go down and were "
                        "kept (needs --allow-lower --reason): "
                        + _first([c.describe() for c in self.refused]))
            lowered = sum(c.lowered for c in self.changes)
            return (f"gate: UPDATED ({len(self.changes) - lowered} floors raised or set, "
                    f"{lowered} lowered, {self.checked} pinned{skipped})")
        if self.passed:
            return f"gate: PASS ({self.checked} floors met{skipped})"
        parts = []
        if self.missed:
            parts.append(f"{self.missed} of {self.checked} floors missed")
        if self.unpinned:
            parts.append(f"no floors pinned for {', '.join(self.unpinned)}")
        return f"gate: FAIL — {' and '.join(parts)}: {_first(self.failures)}"


def _first(lines: list[str]) -> str:
    shown = "; ".join(lines[:VERDICT_SHOWN])
    more = len(lines) - VERDICT_SHOWN
    return shown + (f"; and {more} more" if more > 0 else "")


def run_gate(settings: Settings, baseline_path: Path = BASELINE, fixtures: Path = FIXTURES,
             shared: Path | None = None, update: bool = False, allow_lower: bool = False,
             reason: str | None = None, changelog: Path = CHANGELOG) -> GateOutcome:
    """Measure both suites and check them (or, with `update`, move the bounds)."""
    if allow_lower and not (reason and reason.strip()):
        raise ConfigError("--allow-lower needs --reason TEXT: the reason goes to CHANGELOG.md")
    shared = Path(shared if shared is not None else settings.shared_dir)
    baseline = load_baseline(baseline_path)
    sets = list(suite_sets("fixtures", fixtures, shared).values())
    skipped = []
    if (shared / "data" / "gold").is_dir():
        sets += [s for suite in SUITES[1:] for s in suite_sets(suite, fixtures, shared).values()]
    else:
        skipped.append(f"dev and check suites skipped: no gold sets under {shared}/data/gold")
    outcome = GateOutcome({}, [], [], [], skipped, updated=update)
    for scored in sets:
        suite, name = scored.suite, scored.name
        floors = baseline.get(suite, {}).get(name, {})
        if not update and not floors and scored.floors_optional:
            outcome.skipped.append(f"{suite}/{name}: no floors yet (rasad eval gate --update "
                                   "pins them)")
            continue
        result = evaluate(scored.kind, scored.path, None, settings)
        outcome.results[(suite, name)] = result
        if not update:
            if not floors:
                outcome.unpinned.append(f"{suite}/{name}")
                outcome.failures.append(f"{suite}/{name}: no floors pinned (run rasad eval gate "
                                        "--update)")
            where = suite if name == scored.kind else f"{suite}/{name}"
            missed = floor_failures(result, floors)
            outcome.checked += len(floors)
            outcome.missed += len(missed)
            outcome.failures += [f"{where}: {line}" for line in missed]
            continue
        new, made, refused = update_floors(suite, result, floors, allow_lower, name)
        baseline.setdefault(suite, {})[name] = new
        outcome.checked += len(new)
        outcome.changes += made
        outcome.refused += refused
    if update:
        write_baseline(baseline_path, baseline)
        log_lowered(changelog, [c for c in outcome.changes if c.lowered], reason or "")
    return outcome
