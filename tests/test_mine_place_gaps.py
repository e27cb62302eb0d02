"""The corpus miner of place gaps (scripts/mine_place_gaps.py): which documents it reads, and
the spellings it proposes for a name the gazetteer does not resolve."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from script_helpers import load_script


def test_the_miner_skips_every_document_the_gold_files_name(tmp_path: Path) -> None:
    miner = load_script("mine_place_gaps")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a_dev.jsonl").write_text(
        json.dumps({"id": "snn-1", "text": "نص أول"}) + "\n", encoding="utf-8")
    (gold / "a_check.jsonl").write_text(
        json.dumps({"id": "snn-5", "text": "نص خامس"}) + "\n", encoding="utf-8")
    (gold / "negatives_dev.jsonl").write_text(
        json.dumps({"id": "neg-1", "source": "okaz", "text": "جملة  من المجموعة"}) + "\n",
        encoding="utf-8")
    (gold / "list.jsonl").write_text(json.dumps({"incident": "I-1", "docs": ["snn-3"]}) + "\n",
                                     encoding="utf-8")
    corpus = tmp_path / "c.jsonl.gz"
    rows = [{"id": f"snn-{k}", "source": source, "text": text} for k, (source, text) in
            enumerate([("okaz", "نص صفر"), ("okaz", "نص أول"),
                       ("okaz", "قبلها. جملة من   المجموعة وبعدها."), ("okaz", "نص ثالث"),
                       ("alriyadh", "جملة من المجموعة عند منفذ آخر"), ("okaz", "نص خامس"),
                       ("okaz", "نص  خامس")])]
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    docs, skipped = miner.corpus_documents(corpus, gold, None, 0)
    # snn-1 and snn-5 by id, snn-6 as a copy of snn-5 under another id (whole text, spacing
    # aside), snn-3 by an incident's list, snn-2 as it holds a negatives sentence of its outlet;
    # snn-4 holds it too, but from another outlet.
    assert [d.id for d in docs] == ["snn-0", "snn-4"]
    assert skipped == 5


def test_the_miner_proposes_the_spellings_a_name_takes_elsewhere() -> None:
    variants = load_script("mine_place_gaps").spelling_variants
    assert ("split at «ال»", "دير الزور") in list(variants("ديرالزور"))
    assert ("split after «ابو»", "ابو عريش") in list(variants("ابوعريش"))
    assert ("article dropped", "حسكه") in list(variants("الحسكه"))
    assert ("doubled letter", "المتنبي") in list(variants("المتنببي"))
