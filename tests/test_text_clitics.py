"""The proclitic forms of a word list (`rasad.text.clitics`)."""

from __future__ import annotations

from rasad.geo.recognize import readings
from rasad.text.clitics import NOUN_PROCLITICS, with_proclitics


def test_with_proclitics_gives_the_forms_whose_readings_give_the_stem() -> None:
    forms = with_proclitics(["الكويت"])
    assert {"الكويت", "بالكويت", "والكويت", "للكويت", "وللكويت", "فللكويت"} <= forms
    assert "الكويتي" not in forms and "لكويت" not in forms
    assert len(forms) == 1 + len(NOUN_PROCLITICS) + 3


def test_every_form_reads_back_to_its_word() -> None:
    for form in with_proclitics(["الكويت", "مخرج"]):
        assert any(r[0] in ("الكويت", "مخرج") for r in readings(form)), form


def test_given_proclitics_without_the_article_rule_only_prefix_the_word() -> None:
    forms = with_proclitics(["القصف"], ["و", "ول"], article=False)
    assert forms == {"القصف", "والقصف", "ولالقصف"}
