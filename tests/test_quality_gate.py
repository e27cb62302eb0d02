"""The quality gate: the extractor's scores must meet the floors of tests/quality_baseline.json.

Scored: the licence-clean fixtures under tests/fixtures/quality/ (always), and the gold sets of
../shared (when that folder exists; skipped otherwise): the development sets (suite ``dev``, with
``incidents``) and the check set (suite ``check``: scored, never read).  The sets added after the
baseline (``check/articles``, ``dev/incidents``) have no floor until the baseline holds one.
After an improvement, raise the floors with ``rasad eval gate --update`` and commit the baseline;
lowering one needs ``--allow-lower --reason TEXT``, which writes the reason to CHANGELOG.md.
"""

from __future__ import annotations

import pytest

from eval_helpers import FIXTURES, ROOT
from rasad.eval.gate import assert_floors, load_baseline, suite_sets
from rasad.eval.kinds import SHARED_SETS, ScoredSet, evaluate, is_available
from rasad.settings import Settings

BASELINE = ROOT / "tests" / "quality_baseline.json"
SETTINGS = Settings()
SHARED = SETTINGS.shared_dir if SETTINGS.shared_dir.is_absolute() \
    else ROOT / SETTINGS.shared_dir
HAS_DEV_SETS = (SHARED / "data" / "gold").is_dir()


def check(scored: ScoredSet) -> None:
    where = f"{scored.suite}/{scored.name}"
    floors = load_baseline(BASELINE).get(scored.suite, {}).get(scored.name)
    if not floors and scored.floors_optional:
        pytest.skip(f"{where} has no floors yet (rasad eval gate --update pins them)")
    assert floors, (f"{where} has no floors pinned: run `rasad eval gate --update` and "
                    "commit tests/quality_baseline.json")
    result = evaluate(scored.kind, scored.path, None, SETTINGS)
    assert_floors(result, floors)
    unpinned = sorted(set(result.scores()) - set(floors))
    assert not unpinned, f"{where} scores without a floor: {unpinned} (run --update)"


@pytest.mark.parametrize("kind", sorted(suite_sets("fixtures", FIXTURES, SHARED)))
def test_fixture_scores_meet_their_floors(kind: str) -> None:
    check(suite_sets("fixtures", FIXTURES, SHARED)[kind])


def test_the_fixture_suite_covers_the_event_kinds() -> None:
    assert {"articles", "gsr", "negatives"} <= set(suite_sets("fixtures", FIXTURES, SHARED))


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("suite, name", [(s.suite, s.name) for s in SHARED_SETS])
def test_shared_scores_meet_their_floors(suite: str, name: str) -> None:
    if not HAS_DEV_SETS:
        pytest.skip(f"no gold sets under {SHARED}/data/gold: the dev and check suites are "
                    "skipped")
    scored = next(s for s in SHARED_SETS if (s.suite, s.name) == (suite, name))
    if not is_available(scored.kind):
        pytest.skip(f"the {scored.kind} scorer is not in this build")
    sets = suite_sets(suite, FIXTURES, SHARED)
    if name not in sets:
        pytest.skip(f"{SHARED / scored.path} is absent")
    check(sets[name])
