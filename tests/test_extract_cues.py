"""Modality and attribution cues on hand-made Arabic text (genre: test_genre.py)."""

from __future__ import annotations

from rasad.extract.attribution import attribution_span
from rasad.extract.lexicons import build_lexicon, definite_forms, verb_forms
from rasad.extract.modality import modality_of
from rasad.text.normalize import normalize
from rasad.text.segment import tokenize

LEXICON = build_lexicon()


def _analyse(text: str) -> tuple[str, list, list]:  # type: ignore[type-arg]
    nt = normalize(text)
    tokens = tokenize(nt.text)
    return nt.text, tokens, LEXICON.match(tokens, nt.text)


def _modality(text: str) -> str:
    _, tokens, matches = _analyse(text)
    trigger = next(m for m in matches if m.kind == "trigger")
    cues = [m for m in matches if m.kind == "modality"]
    return modality_of(trigger, cues, tokens, 0)


def _attribution(text: str) -> str | None:
    norm, tokens, matches = _analyse(text)
    trigger = next(m for m in matches if m.kind == "trigger")
    span = attribution_span(trigger, [m for m in matches if m.kind == "attribution"],
                            [m for m in matches if m.kind == "attribution_stop"], tokens, norm,
                            len(tokens))
    return norm[span[0]:span[1]] if span else None


def test_verb_and_definite_forms() -> None:
    assert {"قصف", "قصفت", "قصفوا", "يقصف", "تقصف", "يقصفون"} <= set(verb_forms("قصف|قصف"))
    assert "الغاره الجويه" in definite_forms("غارة جوية")
    assert "قذايف الهاون" in definite_forms("قذائف هاون")


def test_modality_cues() -> None:
    assert _modality("قصفت الطائرات المدينة أمس") == "asserted"
    assert _modality("نفت الوزارة وقوع انفجار في المدينة") == "negated"
    assert _modality("هدد التنظيم بشن هجوم على المدينة") == "future"
    assert _modality("ستشن الطائرات غارات على المدينة") == "future"
    assert _modality("حاول المسلحون اقتحام السجن") == "attempted"
    assert _modality("يعتقد أن انفجارا وقع قرب المطار") == "hedged"
    assert _modality("قد يكون الانفجار ناجما عن عبوة") == "hedged"
    assert _modality("قد قتل ثلاثة جنود في الهجوم") == "asserted"
    assert _modality("كما حصل قبل سنوات عندما سيطر التنظيم على المدينة") == "background"


def test_modality_a_protest_grievance_is_background() -> None:
    _, tokens, matches = _analyse("نظم الأهالي وقفة احتجاجية للتنديد باختطاف ذويهم")
    cues = [m for m in matches if m.kind == "modality"]
    found = {m.entry.phrase: modality_of(m, cues, tokens, 0)
             for m in matches if m.kind == "trigger"}
    assert found["وقفه احتجاجيه"] == "asserted" and found["اختطاف"] == "background"
    # Only the event named right after the cue is the grievance.
    assert _modality("احتجاجا على الحكومة التي قصفت طائراتها المدينة أمس") == "asserted"


def test_attribution_after_verbs_and_prepositions() -> None:
    assert _attribution("وقال مصدر أمني عراقي إن انفجارا وقع في السوق") == "مصدر امني عراقي"
    assert _attribution("قتل خمسة مدنيين بحسب المرصد السوري لحقوق الإنسان.") == \
        "المرصد السوري لحقوق الانسان"
    assert _attribution("شارك في الهجوم مئة عنصر، بحسب ما أوردت وسائل إعلام.") == "وسايل اعلام"
    assert _attribution("قصفت الطائرات المدينة.") is None


def test_modality_a_habit_opening_the_sentence_is_no_event() -> None:
    assert _modality("ويستخدم الجيش كذلك المدفعية وصواريخ أرض أرض") == "background"
    assert _modality("قصفت الطائرات المدينة التي تستخدمها الميليشيا مقرا") == "asserted"


def test_modality_negation_reaches_over_the_subject_within_its_clause() -> None:
    _, tokens, matches = _analyse("ولم تصوب قوات الأسد نيرانها على طائرات التحالف")
    cues = [m for m in matches if m.kind == "modality"]
    fire = next(m for m in matches if m.kind == "trigger")
    assert modality_of(fire, cues, tokens, 0, "") == "negated"
    text, tokens, matches = _analyse("لم يتضح الأمر، ثم قتل ثلاثة جنود في هجوم")
    cues = [m for m in matches if m.kind == "modality"]
    attack = next(m for m in matches if m.kind == "trigger")
    assert modality_of(attack, cues, tokens, 0, text) == "asserted"
    assert _modality("في منطقة حيث كثيرا ما يشن مقاتلو طالبان هجمات على القوات") == "background"
