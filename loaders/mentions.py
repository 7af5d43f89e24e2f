"""Find entity mentions in one sentence: documents, quoted names, names
anchored on a type ending, places, and people after a post title.

Each finder returns Mention records with offsets into the whole text; the
caller resolves overlaps and canonical names (loaders/canon.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .gazetteer import load_countries, load_gazetteer, opening_pattern, places_in
from .lexicon import Lexicon, load_lexicon
from .wordcut import name_offset
from .segment import Sentence

_CJK = re.compile(r"[\u3400-\u9fff]")
_COUNTED = re.compile(r"[0-9一二三四五六七八九十百千几多两数]+[余多]?[家个名批位所支项类级]$")
_SLOGAN_COUNTS = re.compile(r"[一二三四五六七八九十两]+[个项大条]")
_REPEATED = re.compile(r"^一(.)一")
_DOCUMENT = re.compile(r"《([^《》\n]{2,120})》")
_QUOTED = re.compile(r"“([^“”\n]{1,40})”(?:“[^“”\n]{1,40}”)*")
_NUMBERED = re.compile(r"^[一二三四五六七八九十两百千万0-9]+[个大项种条点化好新心员重]")
_ORDINAL = re.compile(r"(首届|第[一二三四五六七八九十百0-9]+[届期次]|[一二三四五六七八九十0-9]+届[一二三四五六七八九十0-9]+次)$")
_WRAPPED_TITLE = re.compile(r"<(.+)>的?(通知|决定|批复)")
_ORDINAL_ANYWHERE = re.compile(r"首届|首次|第[一二三四五六七八九十百0-9]+[届期次]")
_TOWN = re.compile(r"([\u4e00-\u9fff]{2,3}?)(镇|乡|街道)")
# 乡 ends many ordinary words (家乡, 返乡, 城乡): a 乡 township needs its county written before it
_WORDY_TOWN_ENDS = ("乡",)
# Quoted text after these endings is a name of that type; other quoted text is a slogan.
_QUOTE_ONLY_SUFFIXES = {"行", "汇", "之旅"}
_MAX_NAME = 24
_YEAR_BEFORE = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}年$")
# surnames that are also common verbs or particles: a name needs a clear end after them
_VERB_SURNAMES = set("任于时向和也都从以将对在为是把被")
_SPEECH = ("说", "表示", "介绍", "指出", "强调", "认为", "告诉", "透露")


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    type: str
    surface: str
    rule: str
    sentence: int
    aliases: list[str] = field(default_factory=list)
    inner: list["Mention"] = field(default_factory=list)  # mentions inside this one's name
    meta: dict = field(default_factory=dict)

    def covers(self, other: "Mention") -> bool:
        return self.start <= other.start and other.end <= self.end and self is not other


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


_NAME_EXTRA = frozenset("·“”‘’+")
_CLASSIFIERS = frozenset("家个名批位所支项类级")


def find_documents(text: str, sent: Sentence, idx: int, lex: Lexicon) -> list[Mention]:
    out = []
    if "《" not in sent.text:  # each pattern scan below is skipped when the one character it needs is absent
        return out
    for m in _DOCUMENT.finditer(text, sent.start, sent.end):
        inner = m.group(1)
        wrapped = _WRAPPED_TITLE.fullmatch(inner)
        surface = wrapped.group(1) if wrapped else inner
        aliases = [m.group()] if wrapped else []
        men = Mention(m.start(), m.end(), "Document", surface, "document-brackets", idx, aliases)
        men.meta["issuers"] = _issuers_in_title(surface, lex)
        out.append(men)
    return out


def _issuers_in_title(title: str, lex: Lexicon) -> list[tuple[str, str]]:
    """《中共中央 国务院关于…》: the bodies a title opens with before 关于 issued it."""
    found, pos = [], 0
    names = sorted(lex.whole_names, key=len, reverse=True)
    while True:
        while pos < len(title) and title[pos] in " 、,":
            pos += 1
        word = next((w for w in names if title.startswith(w, pos)), None)
        if word is None:
            break
        found.append((word, lex.suffix_type[word]))
        pos += len(word)
    return found if found and title.startswith("关于", pos) else []


def find_quoted(text: str, sent: Sentence, idx: int, lex: Lexicon) -> list[Mention]:
    """Quoted names: “X” + a programme/event ending, or “X” whose own ending types it."""
    out = []
    if "“" not in sent.text:
        return out
    for m in _QUOTED.finditer(text, sent.start, sent.end):
        inner = m.group(1).strip()
        tail = _tail_after_quote(text, m.end(), sent.end, lex)
        if tail is not None and _COUNTED.search(text, max(0, m.start() - 5), m.start()):
            # 16家“X”工作站: a count of things, not a name; kept as taken text so nothing inside is read as one
            out.append(Mention(m.start(), tail[0], "Quote", inner, "counted", idx, meta={"counted": True}))
            continue
        if tail is not None:
            out.append(_quoted_with_tail(text, m, tail, lex, idx))
            continue
        kind = _ending_type(inner, lex)
        if kind in ("Program", "Event") and not _is_slogan(inner) and _has_body(inner, lex):
            out.append(Mention(m.start(), m.end(), kind, inner, "quoted-name", idx, [m.group()]))
        elif not _NUMBERED.match(inner) and 2 <= len(inner) <= 12:
            out.append(Mention(m.start(), m.end(), "Quote", inner, "quoted-other", idx, [m.group()]))
    return out


_TAIL_TYPES = ("Program", "Event", "PartyOrg", "Institution")
_TAIL_MAX = 14


def _tail_after_quote(text: str, start: int, limit: int, lex: Lexicon) -> tuple[int, str] | None:
    """The end and type of a name that a quote begins: “X”商党建品牌, “X”下基层专项调研活动, “X”活动."""
    best, i = None, start
    stop = min(limit, start + _TAIL_MAX)
    while i < stop and (is_cjk(text[i]) or text[i] in "+·"):
        if i > start and text[i - 1] not in "暨" and lex.is_stop_before(text, i) and best is not None:
            break
        i += 1
        hit = _tail_type(text[max(start, i - _LONGEST_ENDING):i])
        if hit in _TAIL_TYPES:
            best = (i, hit)
        elif text.endswith("活动", start, i):
            best = (i, "Program")
    return best


_LONGEST_ENDING = 6  # _ending_type looks at most this many characters back


@lru_cache(maxsize=65536)
def _tail_type(last: str) -> str | None:
    """_ending_type(…, whole=False) of any text ending in `last` (its last _LONGEST_ENDING characters)."""
    return _ending_type(last, load_lexicon(), whole=False)


def _quoted_with_tail(text, m, tail, lex, idx) -> Mention:
    """A quote that begins a name. When the quote is a name by itself (“X接待日”活动), it is the canonical form."""
    end, kind = tail
    inner = m.group(1)
    surface = text[m.start():end]
    bare = surface.replace("“", "").replace("”", "")
    own = _ending_type(inner, lex)
    if own in ("Program", "Event") and not _NUMBERED.match(inner):
        return Mention(m.start(), end, own, inner, "quoted-name", idx, [surface, bare])
    aliases = [bare] + ([inner] if not _NUMBERED.match(inner) and len(inner) > 2 else [])
    return Mention(m.start(), end, kind, surface, "quoted-with-ending", idx, aliases)


def _is_slogan(inner: str) -> bool:
    """“三个纳入、三项制度”, “一会一品牌”, “初心”: counted, patterned or two-character phrases are slogans, not names."""
    return bool(len(inner) <= 2 or _NUMBERED.match(inner) or len(_SLOGAN_COUNTS.findall(inner)) >= 2 or _REPEATED.match(inner))


def _has_body(name: str, lex: Lexicon) -> bool:
    """At least two characters before the type ending (“远航班” yes, “优品牌” no)."""
    for k in range(min(6, len(name) - 1), 0, -1):
        if name[-k:] in lex.suffix_type:
            return len(name) - k >= 2
    return False


def _ending_type(name: str, lex: Lexicon, whole: bool = True) -> str | None:
    """The type a name's ending gives it; `whole` asks that something precede the ending."""
    for k in range(min(_LONGEST_ENDING, len(name) - (1 if whole else 0)), 0, -1):
        kind = lex.suffix_type.get(name[-k:])
        if kind:
            return kind
    return None


def find_suffixed(text: str, sent: Sentence, idx: int, lex: Lexicon, taken: list[Mention]) -> list[Mention]:
    """Names that end in a type word (商会, 工商联, 有限公司, 计划 …), extended leftwards to their start."""
    out = []
    for m in lex.suffix_re.finditer(text, sent.start, sent.end):
        suffix = m.group()
        ending, end = m.span()
        if suffix in _QUOTE_ONLY_SUFFIXES or taken and _inside(ending, end, taken):
            continue
        if suffix in lex.blockable and _is_blocked(text, ending, end, lex) or _continues_word(text, end):
            continue
        longer_titles = lex.titles_after_ending.get(suffix)
        if longer_titles and text.startswith(longer_titles, ending):
            continue  # 党组书记 is a title at the body before it, not a 党组
        kind = lex.suffix_type[suffix]
        start = _name_start(text, sent.start, ending, lex, taken, quotes=kind in _QUOTABLE,
                            body=kind not in ("Program", "Event"))
        start += _leading_cut(text[start:ending], kind not in ("Program", "Event"))
        if suffix == "工商联" and text.startswith("(总商会)", end):
            end += len("(总商会)")
        surface = text[start:end]
        if len(surface) - len(suffix) < 1 and suffix not in lex.whole_names:
            continue
        year = _YEAR_BEFORE.search(text, max(sent.start, start - 5), start) if kind == "Event" else None
        if year and _names_its_place(surface):
            # 2024年X县招商推介会: the year is part of an event's name; the bare name stays an alias
            out.append(Mention(year.start(), end, kind, text[year.start():end], f"ending:{suffix}", idx, [surface],
                               meta={"suffix": suffix}))
            continue
        out.append(Mention(start, end, kind, surface, f"ending:{suffix}", idx, meta={"suffix": suffix}))
    return out


def _names_its_place(surface: str) -> bool:
    """X县招商推介会, not 市招商推介会: a name that begins with a place written out in full."""
    return surface[:1] not in "市县区省" and bool(places_in(surface[:4]))


def _inside(start: int, end: int, spans: list[Mention]) -> bool:
    return any(s.start <= start and end <= s.end for s in spans)


def _is_blocked(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """An ordinary word (ending with the name ending at start:end) that ends here."""
    if text[start:end] not in lex.blockable:
        return False  # no blocked word ends with this ending
    for k in range(1, 4):
        if text[max(0, start - k):end] in lex.blocked:
            return True
    return text[start:end] in lex.blocked


def _continues_word(text: str, end: int) -> bool:
    """化/性/型 after an ending make it an adjective (公司化), not a name."""
    if end < len(text) and text[end - 1] == "办" and _CJK.match(text[end]) and text[end] not in "主副等的和与及":
        return True  # 办 names an office only when a word does not go on (办好事, 办理)
    return end < len(text) and text[end] in "化性型式理事织"


_QUOTABLE = ("PartyOrg", "Institution", "Program", "Event")


def _name_start(text: str, floor: int, i: int, lex: Lexicon, taken: list[Mention], quotes: bool = True,
                body: bool = False) -> int:
    """Walk left from a name ending over name characters until a stop word, punctuation or another mention.

    Only programme-like names and party groups carry quotes inside (“红帆”党建工作领导小组); a body's
    name (`body`) also ends at a liaison or cooperation cue word."""
    ends = {t.end for t in taken}
    limit = max(floor, i - _MAX_NAME)
    quote_open = False
    stop_ends = lex.stop_lengths  # characters some stop word ends in: others need no stop-word check
    cue_ends = lex.link_cue_lengths if body else {}
    while i > limit:
        ch = text[i - 1]
        # a name holds CJK, Latin letters and the marks of quoted parts (written out: this
        # loop runs for every character before every name ending)
        if i in ends or not ("\u3400" <= ch <= "\u9fff" or ch in _NAME_EXTRA or "A" <= ch <= "Z" or "a" <= ch <= "z") \
                or ch in _CLASSIFIERS and _COUNTED.search(text, max(0, i - 4), i):
            break
        if ch == "”":
            if not quotes:
                break
            quote_open = True
        elif ch == "“":
            if not quote_open:
                break
            quote_open = False
        elif not quote_open and (ch in stop_ends and lex.is_stop_before(text, i)
                                 or ch in cue_ends and lex.is_link_cue_before(text, i)) and not _place_begins(text, i - 1):
            break
        i -= 1
    while i < len(text) and text[i] in "”)’":
        i += 1
    return i


def _place_begins(text: str, i: int) -> bool:
    """A place written in full begins at i (和硕县): the stop word there is the place's first character."""
    if text[i] not in _full_name_openings():
        return False  # the usual case, answered without a gazetteer lookup
    gaz = load_gazetteer()
    return any(p[0] == 0 and gaz.is_full_name(p[2]) for p in places_in(text[i:i + 6]))


@lru_cache(maxsize=1)
def _full_name_openings() -> frozenset[str]:
    return frozenset(name[0] for name in load_gazetteer().full_names())


# The cuts below depend on the span before a name's ending alone, and the same spans
# recur across a report and a corpus (市工商联, 县委统战部 …): cached.
@lru_cache(maxsize=65536)
def _leading_cut(span: str, untagged: bool) -> int:
    """How many characters of the span before a name's ending precede the name: up to its first
    place or ordinal, then (with `untagged`) words that cannot begin a name."""
    cut = _anchor_offset(span)
    return cut + _untagged_offset(span[cut:]) if untagged else cut


def _anchor_offset(span: str) -> int:
    """Start a name at its first place or ordinal (首届, 第二届) when words precede it."""
    ordinal = _ORDINAL_ANYWHERE.search(span)
    gaz = load_gazetteer()
    place = next((p[0] for p in places_in(span) if gaz.is_full_name(p[2]) or _word_start(span, p[0])), None)
    return min(([place] if place is not None else []) + ([ordinal.start()] if ordinal else []), default=0)


def _untagged_offset(span: str) -> int:
    """Cut words that cannot begin a name off an unanchored span, or off what follows a body inside it."""
    if not span:
        return 0
    lex = load_lexicon()
    inner_end = max((h.end() for h in lex.suffix_re.finditer(span) if lex.suffix_type[h.group()] in ("Federation", "Chamber")), default=0)
    anchored = bool(places_in(span[:3])) or span[0] in "市县区省" or span.startswith(("全国", "中共", "中华", "中国", "首届", "第"))
    if anchored and not inner_end:
        return 0
    tail = span[inner_end:]
    cut = name_offset(tail) if tail else 0
    return inner_end + cut if cut else 0


def find_places(text: str, sent: Sentence, idx: int, lex: Lexicon) -> list[Mention]:
    """Administrative places (gazetteer), countries, and townships named by 镇/乡/街道."""
    gaz = load_gazetteer()
    out = [Mention(sent.start + s, sent.start + e, "Place", surface, "gazetteer", idx)
           for s, e, surface in gaz.matches(sent.text)
           if gaz.is_full_name(surface) or _word_start(sent.text, s) or lex.is_stop_before(sent.text, s)]
    if not _country_openings().search(sent.text):
        return out  # no two characters that could begin a country's name (87% of sentences)
    for m in _countries_re().finditer(sent.text):
        out.append(Mention(sent.start + m.start(), sent.start + m.end(), "Place", m.group(), "country", idx))
    return out


@lru_cache(maxsize=1)
def _country_openings() -> re.Pattern:
    return opening_pattern(load_countries())


@lru_cache(maxsize=1)
def _countries_re() -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(load_countries(), key=len, reverse=True))))


_PLACE_LEAD = set("在到赴从至、和与及或是于往去来自由向对为把将被让给的等")


def _word_start(text: str, i: int) -> bool:
    """A short place form (建平, 苏州) counts where a word can begin, not inside a word (创建平台)."""
    return i == 0 or not is_cjk(text[i - 1]) or text[i - 1] in _PLACE_LEAD


def find_towns(text: str, sent: Sentence, idx: int, lex: Lexicon, places: list[Mention]) -> list[Mention]:
    """Township names: two or three characters before 镇/乡/街道, after a place or a boundary."""
    out = []
    if "镇" not in sent.text and "乡" not in sent.text and "街道" not in sent.text:
        return out
    for m in _TOWN.finditer(text, sent.start, sent.end):
        start = m.start()
        after_place = any(p.end == start for p in places)
        if m.group(2) in _WORDY_TOWN_ENDS and not after_place:
            continue
        if not (after_place or start == sent.start or not is_cjk(text[start - 1])
                or lex.is_stop_before(text, start)):
            continue
        name = m.group(1)
        if text[m.end():m.end() + 1] in ("域", "街", "级", "村", "区", "长"):
            continue
        if name in lex.stopwords or any(c in "各全每该本其这那个向对在的等和与及" for c in name) or name.startswith(("周边", "乡", "城", "重")):
            continue
        out.append(Mention(start, m.end(), "Place", m.group(), "township", idx, meta={"town": True}))
    return out


def find_people(text: str, sent: Sentence, idx: int, lex: Lexicon) -> list[Mention]:
    """A person's name right after a post title (…会长王某某说)."""
    out = []
    for m in lex.title_re.finditer(text, sent.start, sent.end):
        end = m.end()
        if text.startswith("(", end):  # 主席(会长)张某
            close = text.find(")", end, end + 8)
            if close > 0 and lex.title_re.fullmatch(text, end + 1, close):
                end = close + 1
        name = person_name_at(text, end, lex)
        if name:
            out.append(Mention(end, end + len(name), "Person", name, "title-then-name", idx,
                               meta={"title_start": m.start(), "title_end": end}))
    return out


def person_name_at(text: str, i: int, lex: Lexicon) -> str | None:
    """A Chinese personal name starting at i: a surname and one or two given characters."""
    sur = 2 if text[i:i + 2] in lex.compound_surnames else 1 if text[i:i + 1] in lex.surnames else 0
    if not sur:
        return None
    chars = 0
    while chars < 2 and i + sur + chars < len(text) and is_cjk(text[i + sur + chars]):
        chars += 1
    if chars == 0:
        return None
    if chars == 2 and text.startswith(lex.after_name, i + sur + 1):
        chars = 1
    name = text[i:i + sur + chars]
    after = text[i + len(name):i + len(name) + 1]
    if name[0] in _VERB_SURNAMES and after and is_cjk(after) and not text.startswith(_SPEECH, i + len(name)):
        return None
    if name in lex.not_names or name[sur:] in lex.not_names or name[:2] in lex.not_names or lex.suffix_re.search(name):
        return None
    return name
