"""General-knowledge lexicons, loaded once from data/lexicon/.

Only general Chinese usage lives there: name endings by type, post titles,
relation cue words, stop words, surnames. Nothing from any particular report.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


# Relations whose cue words rules.py looks for in every sentence.
SENTENCE_CUES = ("RUNS", "ISSUED", "COOP_WITH_LIST", "LIAISES_WITH", "PARTICIPATES_IN")

# A one-character stop word that begins one of these words is part of the name (对接服务办公室).
_WORDS_OF_TWO = frozenset({"对接", "对外", "和平", "在线", "为民", "与时", "及时", "以色"})


def _read_json(name: str) -> dict:
    text = resources.files("ufgraph").joinpath(f"data/lexicon/{name}").read_text("utf-8")
    return json.loads(text)


def _alternation(words) -> re.Pattern:
    """A regex matching any of `words`, longest first (Python's re takes the first alternative)."""
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)))


@dataclass(frozen=True)
class Lexicon:
    suffix_type: dict[str, str]       # name ending -> ontology type
    suffix_re: re.Pattern
    blocked: frozenset[str]           # ordinary words that end like a name
    blockable: frozenset[str]         # the name endings some blocked word ends in
    titles: frozenset[str]
    title_re: re.Pattern
    titles_after_ending: dict[str, tuple[str, ...]]  # name ending → the longer titles that begin with it (党组 → 党组书记)
    title_prefixes: tuple[str, ...]
    government: dict[str, str]        # 市长 -> 政府: the body a locality head heads
    after_name: tuple[str, ...]
    not_names: frozenset[str]
    cues: dict[str, tuple[str, ...]]  # relation -> cue words, longest first
    cue_res: dict[str, re.Pattern]    # relation -> its cue words as one pattern (longest first wins)
    sentence_cue_re: re.Pattern       # any cue word of the relations rules.py scans sentences for
    cue_openings: dict[str, frozenset[str]]  # relation -> first characters of its cue words
    stopwords: frozenset[str]
    stop_maxlen: int
    stop_lengths: dict[str, tuple[int, ...]]  # last character → lengths of the stop words ending in it
    link_cues: frozenset[str]         # liaison and cooperation cue words: they end a body's name, not a programme's
    link_cue_lengths: dict[str, tuple[int, ...]]
    list_classes: dict[str, str]      # 等培训机构 → Institution: the type a list's closing word gives its items
    list_class_words: tuple[str, ...]  # the keys of list_classes, longest first
    generic_followers: tuple[str, ...]  # words after 商会/工商联 that make it a common noun (商会建设)
    generic_bodies: frozenset[str]    # modifiers that make a class of bodies, not a name (异地商会)
    chamber_kinds: frozenset[str]     # words naming a chamber's trade or membership, not its township
    whole_names: frozenset[str]       # complete names of national bodies (中共中央, 国务院)
    surnames: frozenset[str]
    compound_surnames: frozenset[str]

    def is_stop_before(self, text: str, i: int) -> bool:
        """True when a stop word, title or cue word ends at position i of text."""
        if i < 1:
            return False
        lengths = self.stop_lengths.get(text[i - 1])
        if not lengths or text.startswith("化", i):
            return False  # 规范化, 制度化: the stop word is the stem of an adjective inside a name
        for k in lengths:
            if k <= i and text[i - k:i] in self.stopwords and not (k == 1 and text[i - 1:i + 1] in _WORDS_OF_TWO):
                return True
        return False

    def is_link_cue_before(self, text: str, i: int) -> bool:
        """True when a liaison or cooperation cue word (对接, 挂钩联系, 签约 …) ends at position i."""
        lengths = self.link_cue_lengths.get(text[i - 1]) if i >= 1 else None
        return bool(lengths) and any(k <= i and text[i - k:i] in self.link_cues for k in lengths)


def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("ufgraph").joinpath("data/lexicon/surnames.txt").read_text("utf-8")
    single, compound = set(), set()
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            (single if len(word) == 1 else compound).add(word)
    return frozenset(single), frozenset(compound)


def _lengths_by_last_char(words) -> dict[str, tuple[int, ...]]:
    """For each last character, the lengths of the words ending in it: a walk over text asks
    only about words that can end where it stands."""
    found: dict[str, set[int]] = {}
    for w in words:
        found.setdefault(w[-1], set()).add(len(w))
    return {ch: tuple(sorted(lengths)) for ch, lengths in found.items()}


def _longer_words_beginning_with(prefixes, words) -> dict[str, tuple[str, ...]]:
    """For each prefix, the words longer than it that begin with it (prefixes with none left out)."""
    found = {p: tuple(w for w in words if len(w) > len(p) and w.startswith(p)) for p in prefixes}
    return {p: ws for p, ws in found.items() if ws}


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    suffixes = _read_json("suffixes.json")
    blocked = frozenset(suffixes.pop("blocked", []))
    whole = suffixes.pop("whole_names", {})
    kinds = frozenset(suffixes.pop("chamber_kinds", []))
    generic = frozenset(suffixes.pop("generic_bodies", []))
    followers = tuple(suffixes.pop("generic_followers", []))
    classes = suffixes.pop("list_classes", {})
    suffixes.pop("_comment", None)
    suffix_type = {s: t for t, words in suffixes.items() for s in words}
    suffix_type.update(whole)
    titles = _read_json("titles.json")
    cues = {k: tuple(sorted(v, key=len, reverse=True))
            for k, v in _read_json("cues.json").items() if not k.startswith("_")}
    title_words = frozenset(titles["titles"])
    cue_words = {w for rel, words in cues.items() if rel not in ("COOPERATES_WITH", "LIAISES_WITH") for w in words}
    # 建设/组织 begin names too (城乡建设局, 党组织), so they cut nothing
    # titles end a name's left edge (会长陶某兼任…), except those that name a role inside a
    # programme's name (商会联络员制度)
    title_stops = {t for t in title_words if not t.endswith("员")}
    stop = (frozenset(_read_json("stopwords.json")["words"]) | cue_words | title_stops) - {"建设", "组织"}
    # 联系/对接/共建 sit inside programme names (领导联系商会制度, 银企对接会) but not inside a
    # body's (X局明确专人对接Y商会 is two bodies); 合作 does (经济合作促进会)
    link_cues = frozenset(w for rel in ("LIAISES_WITH", "COOPERATES_WITH") for w in cues[rel]) - {"合作"}
    single, compound = _surnames()
    return Lexicon(
        suffix_type=suffix_type, suffix_re=_alternation(suffix_type), blocked=blocked,
        blockable=frozenset(s for s in suffix_type if any(w.endswith(s) for w in blocked)),
        titles=title_words, title_re=_alternation(title_words),
        titles_after_ending=_longer_words_beginning_with(suffix_type, title_words),
        title_prefixes=tuple(titles["title_prefixes"]), government=titles["government"],
        after_name=tuple(sorted(titles["after_name"], key=len, reverse=True)),
        not_names=frozenset(titles["not_names"]), cues=cues,
        cue_res={rel: re.compile("|".join(map(re.escape, words))) for rel, words in cues.items()},
        sentence_cue_re=_alternation(w for rel in SENTENCE_CUES for w in cues[rel]),
        cue_openings={rel: frozenset(w[0] for w in words if w) for rel, words in cues.items()},
        stopwords=stop, stop_maxlen=max(map(len, stop)), stop_lengths=_lengths_by_last_char(stop),
        link_cues=link_cues, link_cue_lengths=_lengths_by_last_char(link_cues), whole_names=frozenset(whole),
        chamber_kinds=kinds, generic_bodies=generic, generic_followers=followers,
        list_classes=classes, list_class_words=tuple(sorted(classes, key=len, reverse=True)),
        surnames=single, compound_surnames=compound)
