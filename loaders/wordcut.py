"""Where a name really starts when no place anchors it: part-of-speech tags
of the few characters before a type ending (jieba carries its dictionary,
so this works offline). Only short spans are tagged, so the cost is small."""
from __future__ import annotations

import logging
from functools import lru_cache

# Adverbs, prepositions, conjunctions, particles, pronouns, numerals and set
# phrases (高度重视, 不断加强) never begin an organisation's name; a two-character verb leading the span (提高商会,
# 架起政府) is the sentence's verb, not part of the name.
_CUT_AFTER = {"d", "ad", "p", "c", "u", "uj", "ul", "uz", "ug", "r", "m", "q", "mq", "vd", "l", "i"}


@lru_cache(maxsize=1)
def _tagger():
    import jieba
    import jieba.posseg as posseg
    jieba.setLogLevel(logging.WARNING)
    return posseg


@lru_cache(maxsize=65536)
def name_offset(span: str) -> int:
    """How many leading characters of `span` are not part of the name that follows."""
    cut, pos = 0, 0
    for token in _tagger().cut(span, HMM=False):
        leads = pos == cut  # the token right after the last cut begins what is left
        pos += len(token.word)
        if token.flag in _CUT_AFTER or (leads and token.flag == "v" and len(token.word) >= 2):
            cut = pos
    return cut


@lru_cache(maxsize=65536)
def tags(span: str) -> tuple[tuple[str, str], ...]:
    """The (word, tag) pairs of a short span."""
    return tuple((t.word, t.flag) for t in _tagger().cut(span, HMM=False))


def is_verb_phrase(stem: str) -> bool:
    """打牢, 织密, 做强: a verb and its result, the predicate of a sentence rather than a place's name."""
    found = tags(stem)
    return len(found) == 2 and found[0][1] == "v" and len(found[0][0]) == 1 and found[1][1] in ("a", "ad")


def ends_in_verb(body: str) -> bool:
    """律师轮流进驻(商会): a body whose last word is a verb makes the chamber its object, not its name."""
    found = tags(body)
    return bool(found) and found[-1][1] == "v" and len(found[-1][0]) >= 2
