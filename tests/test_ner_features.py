"""NER features: clitic splitting, shapes, clusters and word lists, the context window."""

import gzip
from pathlib import Path

from rasad.ner.features import FeatureExtractor, NerResources, split_clitics, word_shape

RANK = {"العراق": 10, "قصف": 20, "وزير": 30, "زير": 9000, "مدينه": 40}


def test_split_clitics_splits_conjunction_preposition_and_article() -> None:
    split = split_clitics("وبالعراق", RANK)
    assert (split.conjunction, split.preposition, split.article, split.stem) == \
        ("و", "ب", "ال", "عراق")


def test_split_clitics_reads_lam_lam_as_preposition_and_article() -> None:
    split = split_clitics("للجيش", RANK)
    assert (split.preposition, split.article, split.stem) == ("ل", "ال", "جيش")


def test_split_clitics_uses_corpus_ranks_for_words_without_the_article() -> None:
    assert split_clitics("وقصف", RANK).stem == "قصف"  # «قصف» is the better-known word
    assert split_clitics("وزير", RANK).stem == "وزير"  # «زير» is rarer than «وزير»
    assert split_clitics("بغداد", RANK).stem == "بغداد"  # «غداد» is no word
    assert split_clitics("بمدينه", RANK).stem == "مدينه"
    assert split_clitics("وقصف").stem == "وقصف"  # without ranks only the article licenses it


def test_word_shape() -> None:
    assert [word_shape(w) for w in ("بغداد", "2015", "f16", "cnn")] == \
        ["arabic", "digits", "mixed", "latin"]


def _extractor() -> FeatureExtractor:
    clusters = {"العراق": "1\t7", "قصف": "2\t9", "بغداد": "1\t8"}
    return FeatureExtractor(NerResources(clusters, {"بغداد": "LOC", "حسين": "PERS_part"}))


def test_word_features_read_clusters_of_the_word_or_of_its_stem() -> None:
    extractor = _extractor()
    own = extractor.word_features("والعراق")[0]
    assert {"w=والعراق", "s=عراق", "pre=وال", "c0=1", "c1=7"} <= set(own)
    assert "c=none" in extractor.word_features("كلمه")[0]


def test_resources_read_gzipped_tsv_files(tmp_path: Path) -> None:
    clusters = tmp_path / "clusters.tsv.gz"
    clusters.write_bytes(gzip.compress("# word\tk2\tk4\nفي\t0\t3\nبغداد\t1\t2\n".encode()))
    resources = NerResources.from_files(clusters, tmp_path / "absent.tsv.gz")
    assert resources.clusters == {"في": "0\t3", "بغداد": "1\t2"}
    assert resources.rank == {"في": 0, "بغداد": 1} and resources.wordlists == {}


def test_word_features_normalise_their_input() -> None:
    extractor = _extractor()
    assert extractor.word_features("العِراق")[0] == extractor.word_features("العراق")[0]


def test_sentence_features_window_and_word_lists() -> None:
    features = _extractor().sentence_features(["قصف", "بغداد", "حسين"])
    first, middle, last = (set(f) for f in features)
    assert "BOS" in first and "-2w=<s>" not in first  # one start marker for the first word
    assert {"w=قصف", "+1w=بغداد", "+1L=LOC", "+2w=حسين", "+2L=PERS_part"} <= first
    assert {"w=بغداد", "L=LOC", "-1w=قصف", "-1c0=2", "+1w=حسين", "-2w=<s>", "+2w=</s>"} <= middle
    assert {"EOS", "-1L=LOC", "-2w=قصف", "L=PERS_part"} <= last
    assert "+1w=حسين" not in last and "BOS" not in middle
