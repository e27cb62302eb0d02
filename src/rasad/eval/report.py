"""The dev report: every kind on its development gold set, as one Markdown table.

`run_dev_sets(shared, settings)` scores the extractor on each gold set of `DEV_SETS` under the
shared folder (a kind whose scorer is not in this build, or whose gold file is absent, gets a row
saying so); `render_markdown(entries)` writes the table, stamped with the date, the git commit
and the settings that matter, for the README's "Accuracy" section (`rasad eval all`).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rasad import __version__
from rasad.errors import EvalError
from rasad.eval.common import EvalResult, format_metric
from rasad.eval.kinds import DEV_SETS, dev_set, evaluate
from rasad.settings import Settings

HEADLINE = ("precision", "recall", "f1")
SIZE_METRICS = ("documents", "sentences", "tokens", "gold_events", "gold_locations",
                "gold_mentions", "gold_entities")
"""Count metrics shown in the table's size column, when a kind reports them."""


@dataclass(slots=True)
class ReportEntry:
    """One gold set of the report: its result, or why there is none."""

    kind: str
    gold: Path
    result: EvalResult | None = None
    error: EvalError | None = None


def run_dev_sets(shared: Path, settings: Settings,
                 kinds: Iterable[str] = tuple(DEV_SETS)) -> list[ReportEntry]:
    """Score every kind on its development gold set under `shared`."""
    if not (Path(shared) / "data").is_dir():
        raise EvalError(f"no gold data under {shared} (expected {shared}/data/gold/; pass "
                        "--shared or set RASAD_SHARED_DIR)", code="E401")
    entries = []
    for kind in kinds:
        gold = dev_set(kind, shared)
        try:
            entries.append(ReportEntry(kind, gold, result=evaluate(kind, gold, None, settings)))
        except EvalError as exc:
            entries.append(ReportEntry(kind, gold, error=exc))
    return entries


def git_commit(where: Path | None = None) -> str:
    """The short commit of the checkout holding `where` (this package by default)."""
    folder = str(where or Path(__file__).resolve().parent)
    try:
        commit = subprocess.run(["git", "-C", folder, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", folder, "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit} (with uncommitted changes)" if dirty else commit


def _size(result: EvalResult) -> str:
    parts = [f"{result.metrics[name]:,} {name.replace('_', ' ')}" for name in SIZE_METRICS
             if isinstance(result.metrics.get(name), int)]
    excluded = result.metrics.get("excluded_gold_events")
    if isinstance(excluded, int) and excluded:
        parts[-1] += f" (+{excluded:,} not scored: opinion or background)"
    return ", ".join(parts)


def _other_scores(result: EvalResult) -> str:
    return "; ".join(f"{name.replace('_', ' ')} {format_metric(value)}"
                     for name, value in result.scores().items() if name not in HEADLINE)


def render_markdown(entries: list[ReportEntry], settings: Settings, shared: Path,
                    today: dt.date | None = None, commit: str | None = None) -> str:
    """The report: a stamp line and one table with a row per gold set."""
    today = today or dt.date.today()
    commit = commit or git_commit()
    lines = [
        f"Measured on {today.isoformat()} at commit {commit} (rasad {__version__}, "
        f"use_ner={str(settings.use_ner).lower()}) with `rasad eval all --shared {shared}`.",
        "",
        "| gold set | kind | size | precision | recall | F1 | other scores |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in entries:
        name = entry.gold.name
        if entry.result is None:
            reason = (entry.error.message if entry.error else "not run").replace("|", "\\|")
            lines.append(f"| {name} | {entry.kind} | — | — | — | — | {reason} |")
            continue
        result = entry.result
        headline = [format_metric(result.metrics[m]) if m in result.metrics else "—"
                    for m in HEADLINE]
        lines.append(f"| {name} | {entry.kind} | {_size(result)} | {' | '.join(headline)} | "
                     f"{_other_scores(result)} |")
    return "\n".join(lines) + "\n"
