"""scripts/cameo_triggers.py on a made-up dictionary: how it reads UniversalPETRARCH's verb
patterns, maps CAMEO codes to ACLED, inflects verbs and checks them against the packaged
triggers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from rasad.extract.lexicons import build_lexicon

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "cameo_triggers.py"

# The dictionary's layout (synonym sets first, then verb blocks), with made-up entries.
DICTIONARY = """\
####### SYNONYM SETS #######
&WEAPON
+سلاح_

####### VERB PATTERNS #######
--- قصف [195] ---
قصف                             # bomb
دك                    [194]     # pound
- * (من جو) [195] # قصف
- * مدينة [190] # دك


--- نظم [---] ---
نظم                             # organise
رتب                             # arrange
- * مظاهرة [141] # نظم
- * هجوم &WEAPON [190] # نظم
- * مؤتمر [036] # نظم,رتب
"""


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cameo_triggers", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["cameo_triggers"] = module
    spec.loader.exec_module(module)
    return module


def test_codes_map_by_their_longest_listed_prefix(script: ModuleType) -> None:
    mapping = script.load_mapping()
    assert script.acled_of("1831", mapping)["sub"] == "Suicide bomb"
    assert script.acled_of("1835", mapping)["sub"] == "Remote explosive/landmine/IED"
    assert script.acled_of("195", mapping)["sub"] == "Air/drone strike"
    assert script.acled_of("036", mapping) is None
    assert script.acled_of("1724", mapping) is None  # 172 is not 173 (arrest)


def test_verbs_take_their_own_code_or_their_block_and_the_patterns_they_are_named_in(
        script: ModuleType) -> None:
    verbs = script.parse_verbs(DICTIONARY.splitlines())
    assert set(verbs) == {"قصف", "دك", "نظم", "رتب"}
    assert verbs["قصف"].codes == {"195"} and verbs["دك"].codes == {"194"}
    assert verbs["نظم"].codes == set()
    assert [p.code for p in verbs["نظم"].patterns] == ["141", "190", "036"]
    assert [p.code for p in verbs["رتب"].patterns] == ["036"]
    # Only the literal words after the verb, up to a class: «هجوم &WEAPON» → «هجوم».
    assert [p.words for p in verbs["نظم"].patterns] == [("مظاهره",), ("هجوم",), ("موتمر",)]


def test_inflections_follow_the_triggers_file_and_restore_a_dropped_alef(
        script: ModuleType) -> None:
    assert {"قصفوا", "يقصف", "تقصفان"} <= set(script.inflections("قصف"))
    assert {"اشتبك", "يشتبكون"} <= set(script.inflections("شتبك"))
    assert {"سيطر علي", "سيطروا علي"} <= set(script.inflections("سيطر علي"))


def test_candidates_keep_what_no_packaged_trigger_matches(script: ModuleType) -> None:
    verbs = script.parse_verbs(DICTIONARY.splitlines())
    found = {c.key: c for c in script.candidates(verbs, script.load_mapping(), build_lexicon())}
    # «قصف» and «دك» are triggers, «مظاهرة» and «هجوم» too: covered, clitics and all.
    assert "قصف" not in found and "دك" not in found
    assert "نظم … مظاهره" not in found and "… مظاهره" not in found
    # «مدينة» is no trigger: the object word is a candidate, and an unmapped code gives none.
    assert found["… مدينه"].codes == {"190"}
    assert not any("موتمر" in key for key in found)
