"""Genre: the decisive disclaimer rule, the packaged model, its features and its confidence."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from rasad.doc import Doc
from rasad.extract.genre import (
    FEATURES,
    GenreDecision,
    GenreModel,
    classify_genre,
    genre_features,
    load_genre_model,
    word_features,
)
from rasad.extract.lexicons import build_lexicon
from rasad.pipeline import process_document
from rasad.records import GENRES, RawDocument
from rasad.settings import Settings

LEXICON = build_lexicon()

NEWS = ("أعلنت وزارة الدفاع أمس أن قواتها سيطرت على المدينة، وقال المتحدث باسم الجيش إن العملية "
        "مستمرة. وأفادت مصادر محلية لوكالة رويترز بأن الاشتباكات أسفرت عن مقتل خمسة مسلحين. "
        "وذكرت الوكالة أن الطيران شن غارات على مواقع في ريف المدينة صباح اليوم. ") * 2
OPINION = ("أعتقد أننا علينا أن نتساءل: لماذا نصمت؟ نحن أمام امتحان لبلادنا، ولا بد أن نقف صفا "
           "واحدا، وأرى أن علينا ألا ننسى شبابنا. أليس من المؤسف أن يحدث هذا في وطننا؟ "
           "للأسف، لا شك أن الحقيقة أن مجتمعنا يحتاج إلى وقفة صادقة! ") * 3


def _decide(text: str, title: str | None = None) -> GenreDecision:
    doc = Doc.from_raw(RawDocument("d", text, title))
    cues = [m for m in LEXICON.match(doc.tokens, doc.text) if m.kind == "genre"]
    return classify_genre(doc.text, doc.tokens, doc.sentences, cues, title)


def test_genre_opinion_disclaimer_is_decisive() -> None:
    text = ("اندلعت اشتباكات في المدينة وقال مصدر إن الوضع هادئ. " * 3
            + "الآراء والمعلومات الواردة في مقالات الرأي تعبر عن وجهة نظر الكاتب")
    decision = _decide(text)
    assert decision.genre == "opinion" and decision.confidence == 1.0
    assert "مقالات الراي" in decision.cue


def test_genre_a_signed_off_column_is_opinion_by_rule() -> None:
    decision = _decide(NEWS + "\nm.writer@example.com")
    assert decision.genre == "opinion" and decision.cue.startswith("signature")
    assert 0.9 < decision.confidence < 1.0
    assert _decide(NEWS).genre == "news"  # the same text unsigned


def test_genre_a_chronology_is_an_almanac() -> None:
    almanac = ("1909 - استقالة رئيس الحكومة الفرنسي.\n1933 - ابتكار رشاش جديد.\n"
               "1945 - نهاية الحرب العالمية الثانية.\n1956 - تأميم قناة السويس.\n"
               "1969 - هبوط أول إنسان على سطح القمر.\n1990 - غزو الكويت.\n")
    decision = _decide(almanac, "هذا اليوم في التاريخ")
    assert decision.genre == "other" and decision.cue.startswith("almanac")
    # Four dated entries inside a report are no almanac.
    assert _decide(NEWS + almanac.split("1969")[0]).genre != "other"


def test_genre_model_reads_a_report_as_news_and_a_column_as_opinion() -> None:
    news = _decide(NEWS, "الجيش يسيطر على المدينة")
    assert news.genre == "news" and news.cue == "genre model"
    opinion = _decide(OPINION, "متى نستيقظ؟!")
    assert opinion.genre == "opinion"
    assert 0.5 < news.confidence <= 1.0 and 0.5 < opinion.confidence <= 1.0


def test_genre_features_follow_the_cues() -> None:
    def features(text: str) -> dict[str, float]:
        doc = Doc.from_raw(RawDocument("d", text))
        cues = [m for m in LEXICON.match(doc.tokens, doc.text) if m.kind == "genre"]
        return dict(zip(FEATURES, genre_features(doc.text, doc.tokens, doc.sentences, cues,
                                                 None), strict=True))

    news, opinion = features(NEWS), features(OPINION)
    assert len(news) == len(FEATURES)
    assert news["density_news"] > opinion["density_news"]
    assert news["lead_news"] == 1.0 and news["reporting_sentences"] > 0.5
    assert opinion["density_first_plural"] > news["density_first_plural"]
    assert opinion["voice_sentences"] > news["voice_sentences"]
    assert opinion["questions"] > 0 and news["questions"] == 0
    almanac = features("في مثل هذا اليوم:\n1909 - استقالة الحكومة\n1945 - نهاية الحرب\n"
                       "1990 - غزو الكويت\n")
    assert almanac["chronology_entries"] > 0.5 and almanac["density_other"] > 0
    assert news["chronology_entries"] == 0


def test_genre_model_file_is_weights_for_the_five_genres() -> None:
    data = json.loads(resources.files("rasad.data").joinpath("genre_model.json")
                      .read_text(encoding="utf-8"))
    model = load_genre_model()
    assert set(model.classes) <= set(GENRES) and {"news", "opinion"} <= set(model.classes)
    assert list(model.features) == [*FEATURES, *word_features(model.words)] == data["features"]
    assert all(len(row) == len(model.features) for row in model.coef)
    assert len(model.words) <= 200 and all(" " not in w for w in model.words)


def test_genre_model_probabilities_are_a_softmax() -> None:
    model = GenreModel(("news", "opinion"), ("a", "b"), (0.0, 0.0), (1.0, 1.0),
                       ((1.0, 0.0), (0.0, 1.0)), (0.0, 0.0))
    p = model.probabilities([2.0, 0.0])
    assert p["news"] > p["opinion"] and sum(p.values()) == pytest.approx(1.0)
    assert model.probabilities([0.0, 0.0])["news"] == pytest.approx(0.5)


def test_genre_record_carries_the_confidence() -> None:
    record = process_document(RawDocument("d", OPINION, "متى نستيقظ؟!"), Settings(use_ner=False))
    assert record["genre"] == "opinion"
    assert isinstance(record["genre_confidence"], float) and 0.5 < record["genre_confidence"] <= 1
