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
        json.dumps({"id": "snn-1", "text": "نص أول"}) + "\n"
        + json.dumps({"id": "x-9", "text": "نص  مكرر"}) + "\n", encoding="utf-8")
    (gold / "list.jsonl").write_text(json.dumps({"incident": "I-1", "docs": ["snn-3"]}) + "\n",
                                     encoding="utf-8")
    corpus = tmp_path / "c.jsonl.gz"
    rows = [{"id": f"snn-{k}", "text": text} for k, text in
            enumerate(["نص صفر", "نص أول", "نص مكرر", "نص ثالث", "نص رابع"])]
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    docs, skipped = miner.corpus_documents(corpus, gold, None, 0)
    # snn-1 by id, snn-2 by its text (spacing aside), snn-3 by an incident's list.
    assert [d.id for d in docs] == ["snn-0", "snn-4"]
    assert skipped == 3


def test_the_miner_proposes_the_spellings_a_name_takes_elsewhere() -> None:
    variants = load_script("mine_place_gaps").spelling_variants
    assert ("split at «ال»", "دير الزور") in list(variants("ديرالزور"))
    assert ("split after «ابو»", "ابو عريش") in list(variants("ابوعريش"))
    assert ("article dropped", "حسكه") in list(variants("الحسكه"))
    assert ("doubled letter", "المتنبي") in list(variants("المتنببي"))
