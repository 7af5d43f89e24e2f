"""Where a name really starts when no place anchors it: part-of-speech tags
of the few characters before a type ending. Only short spans are tagged, so
the cost is small.

The tagger is jieba's dictionary segmentation without its HMM
(`jieba.posseg.cut(span, HMM=False)`), reimplemented over
data/lexicon/wordcut.bin, jieba's dictionary prebuilt by
scripts/build_wordcut.py: loading jieba itself takes about a second per
process (and writes a cache file to the temporary folder), this file about
50 ms, and nothing is written. tests/test_extract_wordcut.py checks that the
file is up to date and that the tags are jieba's.
"""
from __future__ import annotations

import json
import re
import sys
from array import array
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from math import log

from ..errors import ConfigError

WORDCUT_FILE = "data/lexicon/wordcut.bin"
_MAX_KEPT = 200_000  # fragments whose dictionary answer is kept (a few tens of MB at most)

# Adverbs, prepositions, conjunctions, particles, pronouns, numerals and set
# phrases (高度重视, 不断加强) never begin an organisation's name; a two-character verb leading the span (提高商会,
# 架起政府) is the sentence's verb, not part of the name.
_CUT_AFTER = {"d", "ad", "p", "c", "u", "uj", "ul", "uz", "ug", "r", "m", "q", "mq", "vd", "l", "i"}

# jieba.posseg's block patterns: runs of Han, Latin letters, digits and +#&._ are segmented
# with the dictionary; anything else goes character by character.
_HAN_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")
_SKIP = re.compile("(\r\n|\\s)")
_NUMBER = re.compile("[\\.0-9]+")
_LATIN = re.compile("[a-zA-Z0-9]+")
_ONE_LATIN = re.compile("^[a-zA-Z0-9]$")


class WordDictionary:
    """jieba's words, sorted: a word's frequency and tag, and whether some word begins with a string."""

    def __init__(self, words: list[str], freqs: array, tags: bytes, tag_names: list[str], total: int):
        self._words, self._freqs, self._tags, self._tag_names = words, freqs, tags, tag_names
        self._count = len(words)
        self.log_total = log(total)
        self._found: dict[str, tuple[bool, int]] = {}  # the same fragments recur: answers kept
        self._tagged: dict[str, tuple[frozenset[str], int]] = {}

    def find(self, frag: str) -> tuple[bool, int]:
        """(some word begins with frag, frag's frequency or 0): jieba's `frag in FREQ` and `FREQ.get(frag) or 0`."""
        found = self._found.get(frag)
        if found is None:
            if len(self._found) >= _MAX_KEPT:
                self._found.clear()
            found = self._found[frag] = self._search(frag)
        return found

    def _search(self, frag: str) -> tuple[bool, int]:
        pos = bisect_left(self._words, frag)
        if pos == self._count:
            return False, 0
        word = self._words[pos]
        if word == frag:
            return True, self._freqs[pos]
        return word.startswith(frag), 0

    def long_words_tagged(self, tag: str) -> tuple[frozenset[str], int]:
        """The words of two or more characters with `tag`, and the length of the longest
        (built on first use, about 10 ms)."""
        found = self._tagged.get(tag)
        if found is None:
            code = re.escape(bytes([self._tag_names.index(tag)])) if tag in self._tag_names else b"(?!)"
            words = frozenset(w for w in (self._words[m.start()] for m in re.finditer(code, self._tags)) if len(w) >= 2)
            found = self._tagged[tag] = (words, max(map(len, words), default=0))
        return found

    def tag(self, word: str) -> str:
        pos = bisect_left(self._words, word)
        if pos < self._count and self._words[pos] == word:
            return self._tag_names[self._tags[pos]]
        return "x"


def parse_dictionary(data: bytes, source: str = WORDCUT_FILE) -> WordDictionary:
    """The layout scripts/build_wordcut.py writes; a damaged file raises ConfigError naming `source`."""
    try:
        head_end = data.index(b"\n")
        head = json.loads(data[:head_end])
        count = head["words"]
        freq_start = len(data) - 5 * count
        words = data[head_end + 1:freq_start - 1].decode("utf-8").split("\n")
        freqs = array("I")
        freqs.frombytes(data[freq_start:freq_start + 4 * count])
        tags = data[freq_start + 4 * count:]
        tag_names = list(head["tags"])
        total = int(head["total"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: not a word dictionary written by scripts/build_wordcut.py ({exc})") from exc
    if freqs.itemsize != 4 or len(words) != count or len(freqs) != count or len(tags) != count:
        raise ConfigError(f"{source}: damaged word dictionary (expected {count} words)")
    if sys.byteorder == "big":
        freqs.byteswap()
    return WordDictionary(words, freqs, tags, tag_names, total)


@lru_cache(maxsize=1)
def load_dictionary() -> WordDictionary:
    try:
        data = resources.files("ufgraph").joinpath(WORDCUT_FILE).read_bytes()
    except OSError as exc:
        raise ConfigError(f"{WORDCUT_FILE}: cannot read the packaged word dictionary: {exc}") from exc
    return parse_dictionary(data)


def cut(text: str, words: WordDictionary | None = None) -> list[tuple[str, str]]:
    """(word, tag) pairs of `text`, as `jieba.posseg.lcut(text, HMM=False)` gives them."""
    words = words or load_dictionary()
    out: list[tuple[str, str]] = []
    for block in _HAN_BLOCK.split(text):
        if _HAN_BLOCK.match(block):
            out += _cut_block(block, words)
            continue
        for piece in _SKIP.split(block):
            if _SKIP.match(piece):
                out.append((piece, "x"))
                continue
            for ch in piece:
                # jieba tests the whole piece for Latin letters, each character for digits
                out.append((ch, "m" if _NUMBER.match(ch) else "eng" if _LATIN.match(piece) else "x"))
    return out


def _cut_block(block: str, words: WordDictionary) -> list[tuple[str, str]]:
    """The most probable segmentation by word frequencies; single Latin letters or digits run together."""
    route = _best_route(block, _word_ends(block, words), words)
    out: list[tuple[str, str]] = []
    latin, x, n = "", 0, len(block)
    while x < n:
        y = route[x] + 1
        word = block[x:y]
        if _ONE_LATIN.match(word):
            latin += word
        else:
            if latin:
                out.append((latin, "eng"))
                latin = ""
            out.append((word, words.tag(word)))
        x = y
    if latin:
        out.append((latin, "eng"))
    return out


def _word_ends(block: str, words: WordDictionary) -> list[list[int]]:
    """For each start, the ends (inclusive) of the dictionary words beginning there (jieba's DAG)."""
    dag = []
    n = len(block)
    for k in range(n):
        ends = []
        i = k
        frag = block[k]
        while i < n:
            is_prefix, freq = words.find(frag)
            if not is_prefix:
                break
            if freq:
                ends.append(i)
            i += 1
            frag = block[k:i + 1]
        dag.append(ends or [k])
    return dag


def _best_route(block: str, dag: list[list[int]], words: WordDictionary) -> list[int]:
    """For each start, the end of the word on the most probable path (jieba's `calc`, same arithmetic)."""
    n = len(block)
    score = [0.0] * (n + 1)
    end = [0] * (n + 1)
    log_total = words.log_total
    for idx in range(n - 1, -1, -1):
        score[idx], end[idx] = max((log(words.find(block[idx:x + 1])[1] or 1) - log_total + score[x + 1], x)
                                   for x in dag[idx])
    return end


@lru_cache(maxsize=65536)
def name_offset(span: str) -> int:
    """How many leading characters of `span` are not part of the name that follows."""
    cut_at, pos = 0, 0
    for word, flag in tags(span):
        leads = pos == cut_at  # the token right after the last cut begins what is left
        pos += len(word)
        if flag in _CUT_AFTER or (leads and flag == "v" and len(word) >= 2):
            cut_at = pos
    return cut_at


@lru_cache(maxsize=65536)
def tags(span: str) -> tuple[tuple[str, str], ...]:
    """The (word, tag) pairs of a short span."""
    return tuple(cut(span))


def is_verb_phrase(stem: str) -> bool:
    """打牢, 织密, 做强: a verb and its result, the predicate of a sentence rather than a place's name."""
    found = tags(stem)
    return len(found) == 2 and found[0][1] == "v" and len(found[0][0]) == 1 and found[1][1] in ("a", "ad")


@lru_cache(maxsize=65536)
def ends_in_verb(body: str) -> bool:
    """律师轮流进驻(商会): a body whose last word is a verb makes the chamber its object, not its name."""
    if not _may_end_in_verb(body):
        return False
    found = tags(body)
    return bool(found) and found[-1][1] == "v" and len(found[-1][0]) >= 2


def _may_end_in_verb(body: str) -> bool:
    """Whether some verb of two or more characters ends `body`: the last word of its cut can be
    one only then (the cut's words of two or more characters are dictionary words), and most
    bodies have none, so their cut, the costly part, is skipped."""
    verbs, longest = load_dictionary().long_words_tagged("v")
    return any(body[-k:] in verbs for k in range(2, min(len(body), longest) + 1))
