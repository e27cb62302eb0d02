"""The quality gate: the extractor's scores must meet the floors of tests/quality_baseline.json.

Scored: the licence-clean fixtures under tests/fixtures/quality/ (always), and the development gold
sets of ../shared (when that folder exists; skipped otherwise).  After an improvement, raise the
floors with ``rasad eval gate --update`` and commit the baseline; lowering one needs
``--allow-lower --reason TEXT``, which writes the reason to CHANGELOG.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eval_helpers import FIXTURES, ROOT
from rasad.eval.gate import assert_floors, load_baseline, suite_sets
from rasad.eval.kinds import DEV_SETS, dev_set, evaluate, is_available
from rasad.settings import Settings

BASELINE = ROOT / "tests" / "quality_baseline.json"
SETTINGS = Settings()
SHARED = SETTINGS.shared_dir if SETTINGS.shared_dir.is_absolute() \
    else ROOT / SETTINGS.shared_dir
HAS_DEV_SETS = (SHARED / "data" / "gold").is_dir()


def check(suite: str, kind: str, gold: Path) -> None:
    floors = load_baseline(BASELINE).get(suite, {}).get(kind)
    assert floors, (f"{suite}/{kind} has no floors pinned: run `rasad eval gate --update` and "
                    "commit tests/quality_baseline.json")
    result = evaluate(kind, gold, None, SETTINGS)
    assert_floors(result, floors)
    unpinned = sorted(set(result.scores()) - set(floors))
    assert not unpinned, f"{suite}/{kind} scores without a floor: {unpinned} (run --update)"


@pytest.mark.parametrize("kind", sorted(suite_sets("fixtures", FIXTURES, SHARED)))
def test_fixture_scores_meet_their_floors(kind: str) -> None:
    check("fixtures", kind, suite_sets("fixtures", FIXTURES, SHARED)[kind])


def test_the_fixture_suite_covers_the_event_kinds() -> None:
    assert {"articles", "gsr", "negatives"} <= set(suite_sets("fixtures", FIXTURES, SHARED))


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("kind", list(DEV_SETS))
def test_dev_scores_meet_their_floors(kind: str) -> None:
    if not HAS_DEV_SETS:
        pytest.skip(f"no gold sets under {SHARED}/data/gold: the dev part of the gate is skipped")
    if not is_available(kind):
        pytest.skip(f"the {kind} scorer is not in this build")
    gold = dev_set(kind, SHARED)
    if not gold.is_file():
        pytest.skip(f"{gold} is absent")
    check("dev", kind, gold)
