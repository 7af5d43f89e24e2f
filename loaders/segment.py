"""Split cleaned text into sentences and clauses, keeping offsets."""
from __future__ import annotations

import re
from typing import NamedTuple

# A sentence ends at 。！？；, a line break, or the text's end; a closing quote stays with it.
_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;]+[”’」』)]*)?")
_CLAUSE_BREAK = re.compile(r"[,，:：]")
# No real sentence is this long; a longer run (a page without punctuation) is cut at
# clause breaks, or hard, so that the work per sentence stays bounded.
MAX_SENTENCE = 400


class Sentence(NamedTuple):
    """One sentence: its offsets in the cleaned text, its text, and its paragraph's number.
    Immutable; a named tuple, as model.Evidence is, since a frozen dataclass is slow to build."""

    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str, skip: tuple[tuple[int, int], ...] = ()) -> list[Sentence]:
    """Sentences of `text` with offsets; sentences inside `skip` spans (metadata lines) are left out."""
    out, paragraph, last_end = [], 0, 0
    for m in _SENTENCE.finditer(text):
        start, whole = m.start(), m.group()
        if text.find("\n", last_end, start) >= 0:
            paragraph += 1
        last_end = m.end()
        body = whole.strip()
        if not body or skip and any(a <= start < b for a, b in skip):
            continue
        start += len(whole) - len(whole.lstrip())
        if len(body) <= MAX_SENTENCE:  # nearly always: no need to cut it
            out.append(Sentence(start, start + len(body), body, paragraph))
            continue
        for piece_start, piece in _bounded(start, body):
            out.append(Sentence(piece_start, piece_start + len(piece), piece, paragraph))
    return out


def _bounded(start: int, body: str):
    """The sentence itself, or pieces of at most MAX_SENTENCE characters cut after clause breaks."""
    while len(body) > MAX_SENTENCE:
        cut = max((m.end() for m in _CLAUSE_BREAK.finditer(body, 0, MAX_SENTENCE)), default=MAX_SENTENCE)
        yield start, body[:cut]
        start, body = start + cut, body[cut:]
    if body:
        yield start, body


def clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    """The clause (between commas or colons) of `sentence` that holds offset `pos`."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, pos)), default=0)
    right = _CLAUSE_BREAK.search(sentence, pos)
    return left, right.start() if right else len(sentence)
