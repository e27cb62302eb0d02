"""Arabic text handling: normalisation with offset maps, segmentation, lexicon matching."""
