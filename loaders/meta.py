"""Metadata a report states about itself: title, publication date, outlet, authors.

Only the head of a report (its first lines) and its tail (the last lines and a
closing byline such as "（张三）") are searched, so a date or a 来源 in the body
is never taken for the report's own. The lines that carry metadata stay in the
text; their offsets are returned so the extractor can skip them.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_HEAD_LINES = 15
_TAIL_LINES = 3
_META_LINE_MAX = 150
_BYLINE_LINE_MAX = 40
_TITLE_MAX = 80
_RESIDUE_MAX = 4  # word characters a metadata line may carry besides its fields

_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*\d{1,2}:\d\d(?::\d\d)?)?"
)
_LABELS = (
    "作者|来源|稿源|出处|供稿|字数|责任编辑|编辑|发布时间|发布日期|发表时间|更新时间|时间|日期|"
    "浏览次数|阅读次数|点击数|点击量|浏览量|阅读量|版次|本报记者|记者|本报通讯员|通讯员"
)
# A label counts where no letter stands just before it: "发布时间:" is one, "活动时间:" is not.
_FIELD = re.compile(rf"(?<![^\W\d_])({_LABELS})\s*:\s*")
_EDITION = re.compile(r"第\s*[\d一二三四五六七八九十]+\s*版(?:\s*:\s*\S+)?|星期[一二三四五六日天]|周[一二三四五六日]")
_REPORTER = re.compile(r"本报记者|本报通讯员|特约记者|见习记者|实习记者|记者|通讯员|实习生|文/图|文/|图/|摄影")
_NAME_SPLIT = re.compile(r"[■□●◆▲\s、,，;；/|]+")
_BYLINE_START = re.compile(rf"(?:■|{_REPORTER.pattern})")
_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,4}")
_NOT_NAME_END = set("联会社报网台部局委厅办院处站组所室司厂协")  # organisations, not people
_CLOSING_BYLINE = re.compile(r"[(（]([^()（）\n]{2,40})[)）]\s*$")
_SOURCE_LABELS = ("来源", "稿源", "出处")
_AUTHOR_LABELS = ("作者", "本报记者", "记者", "本报通讯员", "通讯员")
_WORD = re.compile(r"[^\W_]")
_SENTENCE_END = re.compile(r"[。!?;]")
_CLAUSE_MARK = re.compile(r"[,，。!?;；]")


@dataclass(frozen=True)
class Meta:
    title: str = ""
    date: str = ""
    source: str = ""
    authors: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()


@dataclass
class _LineFacts:
    """What one metadata line says."""

    date: str = ""
    source: str = ""
    authors: list[str] | None = None
    wants_next: bool = False  # "作者:" with the names on the next line


def iso_date(text: str) -> str:
    """The first real calendar date in `text` as yyyy-mm-dd, or ""."""
    for match in _DATE.finditer(text):
        try:
            return dt.date(*map(int, match.group(1, 2, 3))).isoformat()
        except ValueError:
            continue
    return ""


def author_names(text: str) -> list[str]:
    """Names in a byline: ■ marks a name; 本报记者, 记者, 通讯员 and punctuation separate names."""
    names = []
    for token in _NAME_SPLIT.split(_REPORTER.sub(" ", text)):
        if _NAME.fullmatch(token) and token[-1] not in _NOT_NAME_END and token not in names:
            names.append(token)
    return names


def _fields(line: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first label, and each (label, value) after it."""
    # every field has its colon: most head lines have none, and the pattern is slow to fail
    matches = list(_FIELD.finditer(line)) if ":" in line else []
    if not matches:
        return line, []
    fields = []
    for this, following in zip(matches, matches[1:] + [None]):
        value = line[this.end(): following.start() if following else len(line)]
        fields.append((this.group(1), re.split(r"\||\s{2,}", value.strip(), maxsplit=1)[0].strip()))
    return line[: matches[0].start()], fields


def _residue(prefix: str) -> str:
    """What is left of the text before the fields once dates, editions and ■ names are gone."""
    rest = _EDITION.sub(" ", _DATE.sub(" ", prefix))
    if _BYLINE_START.match(rest.strip()):
        return ""
    return "".join(_WORD.findall(re.sub(r"■\S*", " ", rest)))


def _is_byline(text: str) -> bool:
    """"本报记者 张三 通讯员 李四": a short run of names after a reporter mark, no sentence."""
    text = text.strip()
    return (len(text) <= _BYLINE_LINE_MAX and _BYLINE_START.match(text) is not None
            and _CLAUSE_MARK.search(text) is None)


def _line_facts(line: str) -> _LineFacts | None:
    """The metadata on a line, or None when the line is text, not metadata."""
    if len(line) > _META_LINE_MAX:
        return None
    prefix, fields = _fields(line)
    dated = _DATE.search(prefix) is not None or _EDITION.search(prefix) is not None
    byline = _is_byline(prefix)
    if not (fields or dated or byline) or len(_residue(prefix)) > _RESIDUE_MAX:
        return None
    facts = _LineFacts(date=iso_date(prefix))
    names = author_names(prefix) if ("■" in prefix or byline) else []
    for label, value in fields:
        if label in _SOURCE_LABELS and value and not facts.source:
            facts.source = value.rstrip(")）").strip()
        elif label in _AUTHOR_LABELS:
            names += author_names(value)
            facts.wants_next = facts.wants_next or not value
        elif not facts.date:
            facts.date = iso_date(value)
    facts.authors = names
    return facts


def _unwrap(line: str) -> str:
    """A line wholly in brackets, "(来源:…)", without them."""
    if len(line) > 2 and line[0] in "(（【[" and line[-1] in ")）】]":
        return line[1:-1].strip()
    return line


def _head_lines(text: str, count: int) -> list[tuple[int, int]]:
    """(start, end) of the first `count` non-blank lines; reads no further than it must."""
    spans, start = [], 0
    while start <= len(text) and len(spans) < count:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            spans.append((start, end))
        start = end + 1
    return spans


def _tail_lines(text: str, count: int) -> list[tuple[int, int]]:
    """(start, end) of the last `count` non-blank lines, in text order."""
    spans, end = [], len(text)
    while end >= 0 and len(spans) < count:
        start = text.rfind("\n", 0, end) + 1
        if text[start:end].strip():
            spans.append((start, end))
        end = start - 1
    return spans[::-1]


class _Collector:
    """Gathers facts from metadata lines, first ones first."""

    def __init__(self) -> None:
        self.date, self.source = "", ""
        self.authors: list[str] = []
        self.spans: list[tuple[int, int]] = []

    def add(self, facts: _LineFacts, span: tuple[int, int]) -> None:
        self.date = self.date or facts.date
        self.source = self.source or facts.source
        self.authors += [n for n in facts.authors or [] if n not in self.authors]
        self.spans.append(span)


def _scan_head(text: str, lines: list[tuple[int, int]], found: _Collector) -> set[tuple[int, int]]:
    """Metadata lines among the first lines; returns their spans."""
    meta: set[tuple[int, int]] = set()
    wants_next = False
    for start, end in lines:
        line = text[start:end]
        facts = _line_facts(_unwrap(line))
        if facts is None and wants_next and len(line) <= _BYLINE_LINE_MAX:
            facts = _LineFacts(authors=author_names(line))
        wants_next = bool(facts and facts.wants_next)
        if facts is not None:
            found.add(facts, (start, end))
            meta.add((start, end))
    return meta


def _scan_tail(text: str, lines: list[tuple[int, int]], head: set[tuple[int, int]],
               found: _Collector) -> None:
    """Whole metadata lines among the last lines, and a closing byline "（张三）" at the very end."""
    for span in lines:
        facts = None if span in head else _line_facts(_unwrap(text[span[0]:span[1]]))
        if facts is not None:
            found.add(facts, span)
        elif span == lines[-1]:
            _closing_byline(text, *span, found)


def _closing_byline(text: str, start: int, end: int, found: _Collector) -> None:
    match = _CLOSING_BYLINE.search(text, max(start, end - 60), end)
    if match is None:
        return
    inner = match.group(1).strip()
    facts = _line_facts(inner)
    if facts is None:
        tokens = [t for t in _NAME_SPLIT.split(_REPORTER.sub(" ", inner)) if t]
        names = author_names(inner)
        if not tokens or len(names) != len(tokens):
            return
        facts = _LineFacts(authors=names)
    found.add(facts, match.span())


def _title(text: str, lines: list[tuple[int, int]], meta: set[tuple[int, int]]) -> str:
    """The first substantial line that is not metadata; a long paragraph gives its first sentence."""
    for start, end in lines:
        line = text[start:end].strip()
        if (start, end) in meta or len(_WORD.findall(line[:_TITLE_MAX])) < 4:
            continue
        if len(line) > _TITLE_MAX:
            line = _SENTENCE_END.split(line, maxsplit=1)[0][:_TITLE_MAX]
        return line.strip()
    return ""


def find_meta(text: str, title_hint: str = "") -> Meta:
    """Title, date, outlet, authors and metadata-line spans of a cleaned report text.

    >>> find_meta("某市商会换届\\n2023-05-06  来源:示例日报\\n正文。").source
    '示例日报'
    """
    head_lines = _head_lines(text, _HEAD_LINES)
    found = _Collector()
    head = _scan_head(text, head_lines, found)
    _scan_tail(text, _tail_lines(text, _TAIL_LINES), head, found)
    title = " ".join(title_hint.split()) or _title(text, head_lines, head)
    return Meta(title=title, date=found.date, source=found.source,
                authors=tuple(found.authors), spans=tuple(sorted(set(found.spans))))
