"""Score incident resolution against `incidents_dev.jsonl` (articles gold whose events carry an
`incident` id shared by every event, in any article, that reports the same incident).

`evaluate_incidents(gold, pred, settings)`: the predicted events of every scored document
(opinion documents and background events left out, as in `rasad.eval.articles`) are matched to
the gold events with the articles matching of contract §5 (`match_events`), then all of them are
resolved into incidents (`rasad.incidents.resolve`).  Over the matched events, each carrying its
gold and its predicted incident, B-cubed precision and recall (Bagga & Baldwin): for an event,
the share of its predicted incident's matched events that share its gold incident, and the share
of its gold incident's matched events that share its predicted incident, averaged over events.
Also the counts: incidents built from all predicted events against the gold incidents, and the
same over the matched events only.  The resolver alone is measured too (`oracle_*`): the gold
events themselves resolved, scored against their own incident ids, and the number of incidents
that gives against the gold count.

`--errors` lists the predicted incidents that join several gold incidents (merges) and the gold
incidents split over several predicted ones (splits), with each member's reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasad.eval.articles import article_gold_problem, is_background, match_events
from rasad.eval.common import EvalResult, Miss
from rasad.eval.files import predictions_for, read_gold
from rasad.incidents import Incident, Report, make_report, resolve
from rasad.pipeline import parse_published
from rasad.settings import Settings


def bcubed(items: Sequence[tuple[Hashable, Hashable]]) -> tuple[float | None, float | None,
                                                                float | None]:
    """B-cubed precision, recall and F1 of (gold cluster, predicted cluster) per item."""
    if not items:
        return None, None, None
    gold_size = Counter(g for g, _ in items)
    pred_size = Counter(p for _, p in items)
    both = Counter(items)
    precision = sum(both[item] / pred_size[item[1]] for item in items) / len(items)
    recall = sum(both[item] / gold_size[item[0]] for item in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def gold_as_event(event: dict[str, Any]) -> dict[str, Any]:
    """A gold event in the contract's shape (first acceptable actor name, evidence span)."""
    out = dict(event)
    for slot in ("actor1", "actor2"):
        names = event.get(slot)
        name = names[0] if isinstance(names, list) and names else names
        out[slot] = {"name": name, "text": name} if isinstance(name, str) else None
    evidence = event.get("evidence")
    out["evidence"] = {"text": evidence} if isinstance(evidence, str) else evidence
    return out


@dataclass
class Labelled:
    """The reports of a gold set's scored documents: the predicted events (`reports`, those
    matching a gold event labelled with its incident in `gold_of`) and the gold events
    themselves (`gold_reports`, labelled in `oracle_of`)."""

    reports: list[Report] = field(default_factory=list)
    gold_of: dict[tuple[str, str], str] = field(default_factory=dict)
    gold_reports: list[Report] = field(default_factory=list)
    oracle_of: dict[tuple[str, str], str] = field(default_factory=dict)
    gold_incidents: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def labelled_reports(gold: Path, pred: Path | None, settings: Settings) -> Labelled:
    """The predicted and gold reports of `gold`'s scored documents, with their gold incidents."""
    gold_set = read_gold(gold, check=article_gold_problem)
    predictions = predictions_for(gold_set, pred, settings)
    out = Labelled(notes=list(predictions.notes))
    for doc in gold_set.docs:
        doc_id, record = str(doc["id"]), predictions.records[str(doc["id"])]
        events = doc["gold"]["events"]
        out.gold_incidents |= {str(e.get("incident")) for e in events if e.get("incident")}
        if doc["gold"]["genre"] == "opinion":
            continue
        published = parse_published(doc.get("published")) or \
            parse_published(record.get("published"))
        gold_scored = [e for e in events if not is_background(e, published)]
        pred_scored = [e for e in record.get("events") or [] if not is_background(e, published)]
        source = doc.get("source") or record.get("source")
        made = [make_report(e, doc_id, published, source, j) for j, e in enumerate(pred_scored)]
        out.reports.extend(made)
        for i, g in enumerate(gold_scored):
            out.gold_reports.append(make_report(gold_as_event(g), doc_id, published, source, i))
            out.oracle_of[out.gold_reports[-1].key] = str(g.get("incident"))
        _, _, pairs = match_events(gold_scored, pred_scored)
        for i, j in pairs:
            out.gold_of[made[j].key] = str(gold_scored[i].get("incident"))
    return out


def evaluate_incidents(gold: Path, pred: Path | None, settings: Settings) -> EvalResult:
    """B-cubed P/R/F1 of the incidents built from the predicted events that match gold events."""
    data = labelled_reports(gold, pred, settings)
    reports, gold_reports, gold_of, oracle_of = (data.reports, data.gold_reports, data.gold_of,
                                                 data.oracle_of)
    gold_incidents = data.gold_incidents
    incidents = resolve(reports)
    items, members = _labelled(incidents, gold_of)
    oracle_items, _ = _labelled(resolve(gold_reports), oracle_of)
    precision, recall, f1 = bcubed(items)
    o_precision, o_recall, o_f1 = bcubed(oracle_items)
    metrics: dict[str, float | int | None] = {
        "bcubed_precision": precision, "bcubed_recall": recall, "bcubed_f1": f1,
        "predicted_incidents": len(incidents), "gold_incidents": len(gold_incidents),
        "incident_count_ratio": len(incidents) / len(gold_incidents) if gold_incidents
        else None,
        "matched_events": len(items), "predicted_events": len(reports),
        "matched_predicted_incidents": len({p for _, p in items}),
        "matched_gold_incidents": len({g for g, _ in items}),
        "oracle_bcubed_precision": o_precision, "oracle_bcubed_recall": o_recall,
        "oracle_bcubed_f1": o_f1,
        "oracle_incidents": len({p for _, p in oracle_items}),
        "oracle_gold_incidents": len({g for g, _ in oracle_items}),
    }
    # Fewer incidents per gold incident is better while there are too many (the ratio has been
    # above 1 since the first measurement: false alarms open incidents of their own).
    return EvalResult("incidents", str(gold), metrics, _misses(items, members), data.notes,
                      lower_is_better=frozenset({"incident_count_ratio"}))


def _labelled(incidents: list[Incident], gold_of: dict[tuple[str, str], str]
              ) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """(gold incident, predicted incident) of every report with a gold incident, and each
    predicted incident's member lines."""
    items: list[tuple[str, str]] = []
    members: dict[str, list[str]] = defaultdict(list)
    for incident in incidents:
        for member in incident.members:
            gold_incident = gold_of.get(member.report.key)
            if gold_incident is not None:
                items.append((gold_incident, incident.incident_id))
                members[incident.incident_id].append(
                    f"{member.report.doc_id} (gold {gold_incident}): {member.reason}")
    return items, members


def _misses(items: list[tuple[str, str]], members: dict[str, list[str]]) -> list[Miss]:
    out = []
    golds_of: dict[str, set[str]] = defaultdict(set)
    preds_of: dict[str, set[str]] = defaultdict(set)
    for g, p in items:
        golds_of[p].add(g)
        preds_of[g].add(p)
    for p, golds in sorted(golds_of.items()):
        if len(golds) > 1:
            out.append(Miss(p, f"merged {len(golds)} gold incidents", sorted(golds), members[p],
                            weight=float(len(golds))))
    for g, preds in sorted(preds_of.items()):
        if len(preds) > 1:
            out.append(Miss(g, f"split over {len(preds)} incidents", g,
                            [line for p in sorted(preds) for line in members[p]],
                            weight=float(len(preds))))
    return out
