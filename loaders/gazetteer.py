"""Administrative divisions and general-knowledge name lexicons.

The extractor calls this on every report, so lookups are dictionary hits and
`matches` scans text once, trying at each position only the name lengths that
exist for that first character.

    >>> gaz = load_gazetteer()
    >>> [d.name for d in gaz.ancestors(gaz.resolve("昆山"))]
    ['苏州市', '江苏省']

The data is data/lexicon/divisions.tsv, built by scripts/build_divisions.py.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import ConfigError

DIVISIONS_FILE = "data/lexicon/divisions.tsv"
SURNAMES_FILE = "data/lexicon/surnames.txt"
COUNTRIES_FILE = "data/lexicon/countries.txt"
COMPOUND_MARKER = "# compound"

_HEADER = ["code", "name", "short", "level", "parent"]
# Higher levels first: with nothing else to go on, 朝阳 is the city, not a district.
LEVEL_RANK = {"province": 0, "city": 1, "county": 2}


@dataclass(frozen=True)
class Division:
    code: str
    name: str        # full name, e.g. 昆山市
    short: str       # e.g. 昆山 ("" when none)
    level: str       # province | city | county
    parent: str      # parent code, "" for provinces


class Gazetteer:
    """Divisions indexed by code and by every full and short name."""

    def __init__(self, divisions: Iterable[Division]):
        self._by_code = {d.code: d for d in divisions}
        self._by_surface = _index_surfaces(self._by_code.values())
        self._full_names = frozenset(d.name for d in self._by_code.values())
        self._lengths = _lengths_by_opening(self._by_surface)
        self._openings = opening_pattern(self._by_surface)
        # code → (code, parent code, grandparent code): ancestry without re-walking
        self._chain = {code: self._walk_up(code) for code in self._by_code}

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Division]:
        return iter(self._by_code.values())

    def lookup(self, surface: str) -> list[Division]:
        """All divisions whose full or short name is `surface`, higher levels first."""
        return list(self._by_surface.get(surface, ()))

    def get(self, code: str) -> Division | None:
        return self._by_code.get(code)

    def is_name(self, surface: str) -> bool:
        return surface in self._by_surface

    def is_full_name(self, surface: str) -> bool:
        """True for a division's full name (昆山市), False for a short form only (昆山)."""
        return surface in self._full_names

    def full_names(self) -> Iterable[str]:
        return iter(self._full_names)

    def parent(self, div: Division) -> Division | None:
        return self._by_code.get(div.parent) if div.parent else None

    def ancestors(self, div: Division) -> list[Division]:
        """Nearest first: county → city → province."""
        return [self._by_code[c] for c in self._chain.get(div.code, (div.code,))[1:]]

    def resolve(self, surface: str, context: Sequence[Division] = ()) -> Division | None:
        """The one division `surface` names, or None when it stays ambiguous.

        Among same-named candidates, the one closest in the tree to a context
        division wins (itself, its parent or child, a sibling, a cousin …);
        failing that, the single highest-level candidate.
        """
        candidates = self._by_surface.get(surface, ())
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        nearest = self._nearest_to_context(candidates, context)
        return _single_highest(nearest or candidates)

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest, non-overlapping occurrences of full or short names.

        A character-class regex finds, in C, the positions where a name's first
        two characters could stand (about one in six); at those only the name
        lengths that exist for that opening pair are tried, longest first.
        """
        found: list[tuple[int, int, str]] = []
        names, lengths = self._by_surface, self._lengths
        cursor, end = 0, len(text)
        for hit in self._openings.finditer(text):
            i = hit.start()
            if i < cursor:
                continue  # inside the name found last
            for size in lengths.get(text[i:i + 2], ()):
                # near the end a slice comes back short and could equal a shorter name
                if i + size <= end and text[i:i + size] in names:
                    found.append((i, i + size, text[i:i + size]))
                    cursor = i + size
                    break
        return found

    def _walk_up(self, code: str) -> tuple[str, ...]:
        chain = [code]
        while (parent := self._by_code[chain[-1]].parent) and parent in self._by_code:
            if parent in chain:  # a cycle would be a data error; stop rather than loop
                break
            chain.append(parent)
        return tuple(chain)

    def _distance(self, a: Division, b: Division) -> int | None:
        """Steps between two divisions through their lowest common ancestor."""
        chain_a, chain_b = self._chain[a.code], self._chain[b.code]
        for steps_a, code in enumerate(chain_a):
            if code in chain_b:
                return steps_a + chain_b.index(code)
        return None

    def _nearest_to_context(self, candidates: Sequence[Division],
                            context: Sequence[Division]) -> list[Division]:
        scored = []
        for cand in candidates:
            known = [self._distance(cand, c) for c in context if c.code in self._chain]
            known = [d for d in known if d is not None]
            if known:
                scored.append((min(known), cand))
        if not scored:
            return []
        best = min(d for d, _ in scored)
        return [cand for d, cand in scored if d == best]


def _single_highest(candidates: Sequence[Division]) -> Division | None:
    top = min(LEVEL_RANK[d.level] for d in candidates)
    highest = [d for d in candidates if LEVEL_RANK[d.level] == top]
    return highest[0] if len(highest) == 1 else None


def _index_surfaces(divisions: Iterable[Division]) -> dict[str, tuple[Division, ...]]:
    index: dict[str, list[Division]] = {}
    for div in divisions:
        for surface in {div.name, div.short} - {""}:
            index.setdefault(surface, []).append(div)
    return {s: tuple(sorted(ds, key=lambda d: (LEVEL_RANK[d.level], d.code)))
            for s, ds in index.items()}


def _lengths_by_opening(surfaces: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """Opening pair of characters → lengths of the names that begin with it, longest first."""
    lengths: dict[str, set[int]] = {}
    for surface in surfaces:
        lengths.setdefault(surface[:2], set()).add(len(surface))
    return {pair: tuple(sorted(sizes, reverse=True)) for pair, sizes in lengths.items()}


def opening_pattern(names: Iterable[str]) -> re.Pattern:
    """Positions where a name's first character stands before a possible second one:
    no name of `names` can begin anywhere else. With a one-character name every
    first character is a candidate (division names have two or more: parse_divisions
    refuses shorter ones)."""
    names = [n for n in names if n]
    firsts = _char_class({n[0] for n in names})
    if any(len(n) == 1 for n in names):
        return re.compile(firsts)
    return re.compile(f"{firsts}(?={_char_class({n[1] for n in names})})")


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(map(re.escape, sorted(chars))) + "]" if chars else "(?!)"


def parse_divisions(text: str, source: str = DIVISIONS_FILE) -> list[Division]:
    """Rows of a divisions TSV; a malformed row raises ConfigError naming `source` and the line."""
    lines = text.splitlines()
    if not lines or lines[0].split("\t") != _HEADER:
        raise ConfigError(f"{source}: line 1: expected the header {' '.join(_HEADER)}")
    divisions = [_parse_row(line, source, number)
                 for number, line in enumerate(lines[1:], start=2) if line.strip()]
    codes = {d.code for d in divisions}
    for div in divisions:
        if div.parent and div.parent not in codes:
            raise ConfigError(f"{source}: division {div.code} ({div.name}) has unknown parent {div.parent}")
    return divisions


def _parse_row(line: str, source: str, number: int) -> Division:
    fields = line.split("\t")
    if len(fields) != len(_HEADER):
        raise ConfigError(f"{source}: line {number}: expected {len(_HEADER)} tab-separated fields, got {len(fields)}")
    div = Division(*fields)
    if not div.code or not div.name:
        raise ConfigError(f"{source}: line {number}: empty code or name")
    if div.level not in LEVEL_RANK:
        raise ConfigError(f"{source}: line {number}: unknown level {div.level!r}")
    if len(div.short) == 1:
        raise ConfigError(f"{source}: line {number}: one-character short form {div.short!r}")
    if len(div.name) == 1:  # the scan in Gazetteer.matches looks for names by their first two characters
        raise ConfigError(f"{source}: line {number}: one-character name {div.name!r}")
    return div


def parse_surnames(text: str, source: str = SURNAMES_FILE) -> tuple[frozenset[str], frozenset[str]]:
    """(single, compound) surnames: single ones first, compound ones after `# compound`."""
    single: set[str] = set()
    compound: set[str] = set()
    target, size = single, 1
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.strip()
        if entry == COMPOUND_MARKER:
            target, size = compound, 2
        elif entry and not entry.startswith("#"):
            if len(entry) != size:
                kind = "compound" if size == 2 else "single-character"
                raise ConfigError(f"{source}: line {number}: {entry!r} is not a {kind} surname")
            target.add(entry)
    return frozenset(single), frozenset(compound)


def parse_lines(text: str) -> frozenset[str]:
    """The non-blank, non-comment lines of a one-name-per-line lexicon."""
    return frozenset(e for e in (line.strip() for line in text.splitlines())
                     if e and not e.startswith("#"))


def _read_data(path: str) -> str:
    try:
        return resources.files("ufgraph").joinpath(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the packaged lexicon: {exc}") from exc


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer(parse_divisions(_read_data(DIVISIONS_FILE)))


@lru_cache(maxsize=1)
def load_surnames() -> tuple[frozenset[str], frozenset[str]]:
    return parse_surnames(_read_data(SURNAMES_FILE))


@lru_cache(maxsize=1)
def load_countries() -> frozenset[str]:
    return parse_lines(_read_data(COUNTRIES_FILE))


@lru_cache(maxsize=131072)
def places_in(span: str) -> tuple[tuple[int, int, str], ...]:
    """`matches` for short spans such as names, cached: the same names recur across a report and a corpus."""
    return tuple(load_gazetteer().matches(span))
