"""rasad's own Arabic named-entity model: PERS, LOC, ORG and MISC in BIO tags, shipped inside the
package and loaded offline.

    tagger = load_tagger()                         # cached; None when the model is not installed
    tags = tagger.tag(words)                       # normalised words → ["B-PERS", "I-PERS", "O", …]
    entities = tag_doc(doc, tagger, sentence_indices)   # EntityMentions, normalised offsets
    inter = guess_inter(org_text)                  # ACLED inter code for an unregistered group

The model is a python-crfsuite CRF (`rasad.ner.tagger`) over the features of
`rasad.ner.features`, trained by ``scripts/train_ner.py`` on ANERcorp (CC BY-SA 4.0).
"""

from rasad.ner.inter import guess_inter
from rasad.ner.tagger import CrfTagger, Tagger, load_tagger, tag_doc

__all__ = ["CrfTagger", "Tagger", "guess_inter", "load_tagger", "tag_doc"]
