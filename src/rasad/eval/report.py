"""The dev report: every gold set of the shared folder, as one Markdown table.

`run_dev_sets(shared, settings)` scores the extractor on each gold set of `SHARED_SETS` under the
shared folder: the development sets of every kind, `incidents_dev.jsonl` as a second `articles`
set, and `articles_check.jsonl`, the guard against over-fitting (scored, never read; labelled so
in the table).  A set whose file is absent is skipped with a note, a kind whose scorer is not in
this build gets a row saying so.  `render_markdown(entries)` writes the table, stamped with the
date, the git commit and the settings that matter, for the README's "Accuracy" section
(`rasad eval all`).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasad import __version__
from rasad.errors import EvalError
from rasad.eval.common import EvalResult, format_metric
from rasad.eval.kinds import ScoredSet, evaluate, is_available, shared_sets
from rasad.settings import Settings

HEADLINE = ("precision", "recall", "f1")
SIZE_METRICS = ("documents", "sentences", "tokens", "gold_events", "gold_locations",
                "gold_mentions", "gold_entities", "gold_incidents", "matched_events")
"""Count metrics shown in the table's size column, when a kind reports them."""


@dataclass(slots=True)
class ReportEntry:
    """One gold set of the report: its result, or why there is none."""

    scored: ScoredSet
    result: EvalResult | None = None
    error: EvalError | None = None
    skipped: str | None = None

    @property
    def kind(self) -> str:
        return self.scored.kind

    @property
    def gold(self) -> Path:
        return self.scored.path

    @property
    def title(self) -> str:
        """The file name, with the set's label when it has one."""
        label = f" ({self.scored.label})" if self.scored.label else ""
        return f"{self.gold.name}{label}"

    def to_dict(self) -> dict[str, Any]:
        """The entry for `rasad eval all --json`."""
        out: dict[str, Any] = {"suite": self.scored.suite, "name": self.scored.name,
                               "label": self.scored.label}
        if self.result is not None:
            return {**out, **self.result.to_dict()}
        out.update(kind=self.kind, gold=str(self.gold))
        if self.skipped:
            return {**out, "skipped": self.skipped}
        return {**out, "error": self.error.as_dict() if self.error else None}


def report_json(entries: list[ReportEntry]) -> dict[str, dict[str, Any]]:
    """`rasad eval all --json`: each entry under its gold file's name, or under its title (the
    name and its label) when an earlier set scored the same file (`incidents_dev.jsonl` as
    articles, then its incident clustering)."""
    out: dict[str, dict[str, Any]] = {}
    for entry in entries:
        key = entry.gold.name if entry.gold.name not in out else entry.title
        out[key] = entry.to_dict()
    return out


def run_dev_sets(shared: Path, settings: Settings) -> list[ReportEntry]:
    """Score every gold set of `SHARED_SETS` under `shared`."""
    if not (Path(shared) / "data").is_dir():
        raise EvalError(f"no gold data under {shared} (expected {shared}/data/gold/; pass "
                        "--shared or set RASAD_SHARED_DIR)", code="E401")
    entries = []
    for scored in shared_sets(shared):
        if not scored.path.is_file() and is_available(scored.kind):
            entries.append(ReportEntry(scored, skipped=f"skipped: {scored.path} is absent"))
            continue
        try:
            result = evaluate(scored.kind, scored.path, None, settings)
            entries.append(ReportEntry(scored, result=result))
        except EvalError as exc:
            entries.append(ReportEntry(scored, error=exc))
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
        name = entry.title
        if entry.result is None:
            reason = entry.skipped or (entry.error.message if entry.error else "not run")
            reason = reason.replace("|", "\\|")
            lines.append(f"| {name} | {entry.kind} | — | — | — | — | {reason} |")
            continue
        result = entry.result
        headline = [format_metric(result.metrics[m]) if m in result.metrics else "—"
                    for m in HEADLINE]
        lines.append(f"| {name} | {entry.kind} | {_size(result)} | {' | '.join(headline)} | "
                     f"{_other_scores(result)} |")
    return "\n".join(lines) + "\n"
