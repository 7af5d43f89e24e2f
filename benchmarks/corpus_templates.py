"""The synthetic corpus's templates: sections of benchmarks/templates/*.tpl.

    facts = read_facts()            # name -> Fact (slots, gold, sentences, weight)
    lists = read_lists()            # name -> items, from names.tpl and frame.tpl

A section is "[name]", then optional "key: value" header lines, then items:
"- " lines (one item each) or, when there are none, white-space separated
words. Sentences live in files so they can be read and changed without
touching code (the spaCy habit of template files); a malformed file raises
ConfigError (the project's own error) naming the file, the line and the problem.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ufgraph.errors import ConfigError

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_HEADER = re.compile(r"^([a-z]+):\s*(.*)$")
_SECTION = re.compile(r"^\[([A-Za-z0-9_.]+)\]$")
_HOLDER = re.compile(r"^holder\((\w+),\s*(\w+)\)$")
_PARTY_OF = re.compile(r"^party\((\w+)\)$")
_LIST = re.compile(r"^([a-z.|]+)\*(\d+)(?:-(\d+))?$")


@dataclass(frozen=True)
class Section:
    name: str
    headers: dict[str, str]
    items: list[str]
    where: str  # "file:line", for messages


@dataclass(frozen=True)
class Slot:
    """What one slot of a fact names. `kind` is one of entity, list, title, holder, party,
    known, word; `arg`/`arg2` carry the entity kinds, list name or slot names it needs."""

    name: str
    kind: str
    arg: str = ""
    arg2: str = ""
    low: int = 1
    high: int = 1


@dataclass(frozen=True)
class GoldLine:
    source: str
    rel: str
    target: str
    props: tuple[tuple[str, str], ...]  # (property, slot name or literal text)


@dataclass(frozen=True)
class Fact:
    name: str
    slots: tuple[Slot, ...]
    gold: tuple[GoldLine, ...]
    sentences: tuple[str, ...]
    weight: float = 1.0


def parse_sections(path: Path) -> list[Section]:
    """The sections of one template file, in file order."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the template file: {exc}") from None
    sections: list[Section] = []
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        where = f"{path.name}:{number}"
        if not line or line.startswith("#"):
            continue
        match = _SECTION.match(line)
        if match:
            current = Section(match.group(1), {}, [], where)
            sections.append(current)
        elif current is None:
            raise ConfigError(f"{where}: text before the first [section]")
        elif line.startswith("- "):
            current.items.append(line[2:].strip())
        elif (header := _HEADER.match(line)) and not current.items:
            current.headers[header.group(1)] = header.group(2).strip()
        else:
            current.items.extend(line.split())
    return sections


def parse_slot(spec: str, where: str) -> Slot:
    name, sep, kind = spec.partition("=")
    if not sep or not name.isidentifier():
        raise ConfigError(f"{where}: slot {spec!r} is not NAME=KIND")
    if kind.startswith(("title:", "word:")):
        return Slot(name, kind.split(":")[0], kind.split(":", 1)[1])
    if kind == "known":
        return Slot(name, "known")
    if match := _HOLDER.match(kind):
        return Slot(name, "holder", match.group(1), match.group(2))
    if match := _PARTY_OF.match(kind):
        return Slot(name, "party", match.group(1))
    if match := _LIST.match(kind):
        low = int(match.group(2))
        return Slot(name, "list", match.group(1), low=low, high=int(match.group(3) or low))
    if re.fullmatch(r"[a-z.|]+", kind):
        return Slot(name, "entity", kind)
    raise ConfigError(f"{where}: slot {spec!r}: unknown kind {kind!r}")


def parse_gold(text: str, where: str) -> tuple[GoldLine, ...]:
    lines = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        words = part.split()
        if len(words) < 3 or any("=" not in w for w in words[3:]):
            raise ConfigError(f"{where}: gold {part!r} is not SOURCE REL TARGET [prop=value ...]")
        props = tuple(tuple(w.split("=", 1)) for w in words[3:])
        lines.append(GoldLine(words[0], words[1], words[2], props))
    return tuple(lines)


def _fact(section: Section) -> Fact:
    where = f"{section.where} [{section.name}]"
    slots = tuple(parse_slot(s, where) for s in section.headers.get("slots", "").split())
    gold = parse_gold(section.headers.get("gold", ""), where)
    fact = Fact(section.name, slots, gold, tuple(section.items), float(section.headers.get("weight", 1)))
    _check_fact(fact, where)
    return fact


def _check_fact(fact: Fact, where: str) -> None:
    """Every slot a gold line names exists, and every sentence renders every entity slot."""
    names = {s.name for s in fact.slots}
    for line in fact.gold:
        for used in (line.source, line.target):
            if used not in names:
                raise ConfigError(f"{where}: gold names slot {used!r}, which is not declared")
    named = [s.name for s in fact.slots if s.kind in ("entity", "list", "holder", "party", "known")]
    if not fact.sentences:
        raise ConfigError(f"{where}: no sentences")
    for sentence in fact.sentences:
        shown = {p.split(":")[0] for p in PLACEHOLDER.findall(sentence)}
        shown |= {s.arg for s in fact.slots if s.kind == "party" and s.name in shown}  # named inside it
        missing = [n for n in named if n not in shown]
        if missing:
            raise ConfigError(f"{where}: sentence {sentence!r} does not render {missing}")


@lru_cache(maxsize=None)
def read_facts() -> dict[str, Fact]:
    """The fact sections of facts.tpl, by name."""
    return {s.name: _fact(s) for s in parse_sections(TEMPLATE_DIR / "facts.tpl")}


@lru_cache(maxsize=None)
def read_lists() -> dict[str, tuple[str, ...]]:
    """The item lists of names.tpl and frame.tpl, by section name."""
    out: dict[str, tuple[str, ...]] = {}
    for file in ("names.tpl", "frame.tpl"):
        for section in parse_sections(TEMPLATE_DIR / file):
            if section.name in out:
                raise ConfigError(f"{section.where}: section [{section.name}] defined twice")
            if not section.items:
                raise ConfigError(f"{section.where}: section [{section.name}] is empty")
            out[section.name] = tuple(section.items)
    return out


def read_list(name: str) -> tuple[str, ...]:
    """One list; an unknown name raises ConfigError naming it."""
    lists = read_lists()
    if name not in lists:
        raise ConfigError(f"{TEMPLATE_DIR}: no list [{name}] in names.tpl or frame.tpl")
    return lists[name]
