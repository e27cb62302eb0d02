"""Inter codes guessed for organisations the actor registry does not know."""

import pytest

from rasad.ner import guess_inter


@pytest.mark.parametrize(("name", "inter"), [
    ("الجيش العراقي", 1),
    ("والجيشُ السوريّ", 1),
    ("قوات الأمن", 1),
    ("جيش الإسلام", 2),
    ("الجيش السوري الحر", 2),
    ("كتائب الفاروق", 2),
    ("فصيل مسلح", 2),
    ("حركة أحرار الشام", 2),
    ("قوات سوريا الديمقراطية", 2),
    ("ميليشيا الدفاع الوطني", 3),
    ("الحشد الشعبي", 3),
    ("أبناء العشائر", 4),
    ("قوات التحالف", 8),
    ("اتحاد الكتاب", 8),
])
def test_guess_inter(name: str, inter: int) -> None:
    assert guess_inter(name) == inter
