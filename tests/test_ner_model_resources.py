"""The packaged NER model was trained with the feature resources that ship beside it: cluster
features in the model if and only if a clusters file is packaged, frequency bands if and only if
word ranks are (the tagger reads the files that are present, so a model and resources that
disagree would tag silently worse)."""

from __future__ import annotations

import pytest

from rasad.ner.tagger import data_dir

pycrfsuite = pytest.importorskip("pycrfsuite")


def model_attributes() -> set[str]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(data_dir() / "model.crfsuite"))
    try:
        return {attribute for attribute, _label in tagger.info().state_features}
    finally:
        tagger.close()


def test_cluster_features_match_the_packaged_clusters() -> None:
    if not (data_dir() / "model.crfsuite").is_file():
        pytest.skip("no packaged NER model")
    attributes = model_attributes()
    assert any(a.startswith("L=") for a in attributes)  # word-list features are read
    uses_clusters = any(a.startswith(("c0=", "-1c0=", "+1c0=")) for a in attributes)
    assert uses_clusters == (data_dir() / "clusters.tsv.gz").is_file()


def test_frequency_bands_match_the_packaged_ranks() -> None:
    if not (data_dir() / "model.crfsuite").is_file():
        pytest.skip("no packaged NER model")
    ranked = any((data_dir() / name).is_file()
                 for name in ("clusters.tsv.gz", "frequencies.tsv.gz"))
    assert ("r=100" in model_attributes()) == ranked  # band of the 100 commonest words
