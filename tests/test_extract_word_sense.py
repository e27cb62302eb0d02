"""Generic pictures, accidents, celebratory gunfire and the two senses of «التظاهرة» on
made-up sentences."""

from __future__ import annotations

from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

PIPELINE = Pipeline(Settings(use_ner=False))


def _types(text: str) -> list[str]:
    doc = PIPELINE.run(RawDocument(id="t", text=text, published="2023-03-01"))
    return [e.event_type for e in doc.events]


def test_acts_spread_here_and_there_are_a_picture_not_an_event() -> None:
    picture = ("شهدت المدينة في تلك السنوات تفجيرات {}أرعبت السكان ثم تحول الأمر إلى اغتيال "
               "الضباط أمام منازلهم وتفجير مراكز الشرطة.")
    assert _types(picture.format(""))  # without the cue the rules read events
    # The cue reaches every trigger of the sentence, the last one 15 words after it.
    assert _types(picture.format("هنا وهناك ")) == []
    assert _types("انفجرت عبوة ناسفة في سوق بغداد أمس وقتل ثلاثة مدنيين.")


def test_a_shot_by_mistake_is_an_accident_unless_an_armed_actor_fired() -> None:
    assert _types("تعرض رجل لإطلاق نار أثناء وجوده في حديقة فندق في مدينة عدن أمس.")
    assert _types("تعرض رجل بالخطأ لإطلاق نار أثناء وجوده في حديقة فندق في مدينة عدن أمس.") == []
    assert _types("أصيب رجل عن طريق الخطأ بإطلاق نار خلال حفل زفاف في مدينة عدن أمس.") == []
    # A force that kills by mistake still commits an event.
    assert _types("قتلت قوات التحالف بالخطأ خمسة مدنيين في غارة جوية على قرية في محافظة صعدة "
                  "أمس.") == ["Explosions/Remote violence"]
    assert _types("قتل جنود الاحتلال بالخطأ شابا فلسطينيا برصاص حي قرب نابلس أمس.")


def test_celebratory_gunfire_is_no_attack() -> None:
    shots = "وفي مدينة الرمادي أطلق الأهالي أعيرة نارية {}يوم الاثنين فأصيب طفل."
    assert _types(shots.format(""))  # without the cue the rules read an attack
    assert _types(shots.format("ابتهاجا بالعيد ")) == []
    assert _types(shots.format("ابتهاجاً بعودة الحجاج ")) == []
    # Whoever fires: armed men celebrating do not fight.
    armed = "أطلق مسلحون أعيرة نارية {}في مدينة الرمادي يوم الاثنين."
    assert _types(armed.format(""))
    assert _types(armed.format("ابتهاجا بالعيد ")) == []


def test_the_bare_word_tazahura_is_a_protest_a_cultural_one_is_not() -> None:
    assert _types("وشارك مئات الطلاب في التظاهرة أمام مبنى الجامعة في القاهرة أمس.") == [
        "Protests"]
    assert _types("وتستمر التظاهرة الثقافية في تونس حتى نهاية الأسبوع.") == []
    assert _types("وتستمر هذه التظاهرة في تونس حتى نهاية الأسبوع.") == []
