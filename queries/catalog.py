"""The catalogue of query modules: one `.cypher` file per module, described
by its header comment.

A header is the run of `// key: value` lines at the top of the file:

    // name: people-of
    // answers: Who holds posts in an organisation, with titles and report dates?
    // param: org STRING (required) — name, alias or id of the organisation
    // param: limit INT = 200 in 1..10000 — most rows returned
    // columns: person, title, org, reports, dates, person_id
    // order: by person, then org
    // sets: reports, dates

`param` lines give NAME TYPE, then `(required)` or `= DEFAULT`, optionally
`in LOW..HIGH`, then `—` and what it means. Types: STRING, INT, FLOAT,
BOOL, and TYPES (node types of the ontology, default `all` or
`organisations`). `columns` are the columns of the result, always. `order`
says how rows are ordered, or `none`. Optional post-processing keys:
`sort` (columns run_query sorts by, for a UNION that has no order in
either store), `sets` (list columns whose order means nothing; sorted so
both stores give the same lists), `sentences` (a column holding the stored
evidence JSON, turned into its sentences; `COLUMN per report` keeps only
the sentences of the row's `report`), `unnest` (`LIST as A, B, C`: the query
returns a column LIST of [a, b, c] items in place of the columns A, B, C,
and run_query makes one row per item: a link stated in 150 reports then
sends its evidence once, not 150 times).

A module whose text must differ between stores has a variant in
`queries/<store>/<name>.cypher` (only the `// variant:` line and the query).
Where a store answers a module in steps (queries/steps.py), its variant is the
text of the main step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import QueryError

PARAM_TYPES = ("STRING", "INT", "FLOAT", "BOOL", "TYPES")
_KEYS = {"name", "answers", "param", "columns", "order", "sort", "sets", "sentences", "unnest", "variant"}
_LINE = re.compile(r"^//\s*([a-z]+):\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[a-z][a-z0-9_]*)\s+(?P<type>[A-Z]+)\s+"
    r"(?:\((?P<required>required)\)|=\s*(?P<default>\S+))"
    r"(?:\s+in\s+(?P<low>-?\d+)\.\.(?P<high>-?\d+))?"
    r"\s+—\s+(?P<doc>.+)$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a module."""

    name: str
    type: str
    required: bool
    default: Any
    bounds: tuple[int, int] | None
    doc: str

    def describe(self) -> str:
        given = "required" if self.required else f"default {_show(self.default)}"
        bounds = f", {self.bounds[0]}..{self.bounds[1]}" if self.bounds else ""
        return f"{self.name} ({self.type}, {given}{bounds}): {self.doc}"


@dataclass(frozen=True)
class QueryModule:
    """A parsed query module: its header, and its Cypher text per store."""

    name: str
    answers: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    order: str
    path: str
    text: str
    variants: dict[str, str] = field(default_factory=dict)
    sort: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    sentences: str = ""
    sentences_per_report: bool = False
    unnest: tuple[str, tuple[str, ...]] | None = None  # (the list column returned, the columns it fills)

    @property
    def ordered(self) -> bool:
        """True when the module defines the order of its rows."""
        return self.order.lower() != "none"

    @property
    def returned_columns(self) -> tuple[str, ...]:
        """The columns the query itself returns: `columns`, with an unnested group given as its
        one list column, where the group's first column stands."""
        if self.unnest is None:
            return self.columns
        source, targets = self.unnest
        at = self.columns.index(targets[0])
        rest = [c for c in self.columns if c not in targets]
        return tuple(rest[:at] + [source] + rest[at:])

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def text_for(self, store_kind: str) -> str:
        """The Cypher text for a store kind: its variant when there is one."""
        return self.variants.get(store_kind, self.text)


def parse_module(text: str, path: str) -> QueryModule:
    """Parse a module file's header; raises QueryError naming the file and the problem."""
    header, body = _split_header(text, path)
    if "variant" in header:
        raise QueryError(f"{path}: a main module file has no `variant` line")
    for key in ("name", "answers", "columns", "order"):
        if key not in header:
            raise QueryError(f"{path}: the header has no `// {key}:` line")
    name = _one(header, "name", path)
    if not _NAME.match(name):
        raise QueryError(f"{path}: module name {name!r} is not lower-case words joined by '-'")
    columns = _names(_one(header, "columns", path))
    sentences, per_report = _sentences(header.get("sentences", []), columns, path)
    module = QueryModule(
        name=name, answers=_one(header, "answers", path),
        params=tuple(_param(v, path) for v in header.get("param", [])),
        columns=columns, order=_one(header, "order", path), path=path, text=body,
        sort=_listed(header, "sort", columns, path), sets=_listed(header, "sets", columns, path),
        sentences=sentences, sentences_per_report=per_report,
        unnest=_unnest(header.get("unnest", []), columns, path))
    _check_unique([p.name for p in module.params], "parameter", path)
    return module


def parse_variant(text: str, path: str) -> str:
    """The Cypher text of a per-store variant file (header: one `// variant:` line)."""
    header, body = _split_header(text, path)
    if set(header) != {"variant"}:
        raise QueryError(f"{path}: a variant file has only a `// variant:` line in its header")
    return body


@lru_cache(maxsize=1)
def catalog() -> dict[str, QueryModule]:
    """Every module shipped in the package, by name (read once)."""
    root = resources.files("ufgraph.queries")
    modules: dict[str, QueryModule] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            module = parse_module(entry.read_text("utf-8"), f"queries/{entry.name}")
            if module.name in modules or module.name != entry.name[:-len(".cypher")]:
                raise QueryError(f"queries/{entry.name}: the file name and `// name:` must agree")
            modules[module.name] = module
    for store_dir in sorted((e for e in root.iterdir() if e.is_dir() and not e.name.startswith("_")),
                            key=lambda e: e.name):
        for entry in sorted(store_dir.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".cypher"):
                _add_variant(modules, store_dir.name, entry)
    return modules


def _add_variant(modules: dict[str, QueryModule], store_kind: str, entry) -> None:
    path = f"queries/{store_kind}/{entry.name}"
    name = entry.name[:-len(".cypher")]
    if name not in modules:
        raise QueryError(f"{path}: a variant of no module (there is no queries/{entry.name})")
    modules[name].variants[store_kind] = parse_variant(entry.read_text("utf-8"), path)


# ---------------------------------------------------------------- header pieces

def _split_header(text: str, path: str) -> tuple[dict[str, list[str]], str]:
    header: dict[str, list[str]] = {}
    lines = text.splitlines()
    at = 0
    while at < len(lines) and lines[at].startswith("//"):
        found = _LINE.match(lines[at])
        if found:
            key, value = found.groups()
            if key not in _KEYS:
                raise QueryError(f"{path}: line {at + 1}: unknown header key {key!r}")
            header.setdefault(key, []).append(value)
        at += 1
    body = "\n".join(lines[at:]).strip()
    if not body:
        raise QueryError(f"{path}: no query after the header")
    return header, body


def _one(header: dict[str, list[str]], key: str, path: str) -> str:
    values = header[key]
    if len(values) != 1 or not values[0]:
        raise QueryError(f"{path}: `// {key}:` must appear once, with a value")
    return values[0]


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _listed(header: dict[str, list[str]], key: str, columns: tuple[str, ...], path: str) -> tuple[str, ...]:
    if key not in header:
        return ()
    names = _names(_one(header, key, path))
    unknown = [n for n in names if n not in columns]
    if unknown:
        raise QueryError(f"{path}: `// {key}:` names {unknown}, which are not columns")
    return names


def _sentences(values: list[str], columns: tuple[str, ...], path: str) -> tuple[str, bool]:
    if not values:
        return "", False
    if len(values) != 1:
        raise QueryError(f"{path}: `// sentences:` must appear once")
    words = values[0].split()
    per_report = words[1:] == ["per", "report"]
    if not words or words[0] not in columns or (len(words) > 1 and not per_report):
        raise QueryError(f"{path}: `// sentences:` takes a column, optionally followed by `per report`")
    if per_report and "report" not in columns:
        raise QueryError(f"{path}: `sentences ... per report` needs a `report` column")
    return words[0], per_report


def _unnest(values: list[str], columns: tuple[str, ...], path: str) -> tuple[str, tuple[str, ...]] | None:
    if not values:
        return None
    found = re.match(r"^([a-z_][a-z0-9_]*)\s+as\s+(.+)$", values[0]) if len(values) == 1 else None
    targets = _names(found.group(2)) if found else ()
    if not found or not targets or found.group(1) in columns:
        raise QueryError(f"{path}: `// unnest:` takes `LIST as COLUMN, ...`, LIST not itself a column")
    unknown = [t for t in targets if t not in columns]
    at = columns.index(targets[0]) if not unknown else -1
    if unknown or columns[at:at + len(targets)] != targets:
        raise QueryError(f"{path}: `// unnest:` must name columns that stand together, in order: {list(targets)}")
    return found.group(1), targets


def _param(value: str, path: str) -> Param:
    found = _PARAM.match(value)
    if not found:
        raise QueryError(f"{path}: cannot read `// param: {value}`; expected "
                         "`NAME TYPE (required) — doc` or `NAME TYPE = DEFAULT [in LOW..HIGH] — doc`")
    kind = found["type"]
    if kind not in PARAM_TYPES:
        raise QueryError(f"{path}: parameter {found['name']}: unknown type {kind}; use one of {', '.join(PARAM_TYPES)}")
    bounds = (int(found["low"]), int(found["high"])) if found["low"] is not None else None
    if bounds and kind != "INT":
        raise QueryError(f"{path}: parameter {found['name']}: only INT parameters take `in LOW..HIGH`")
    default = None if found["required"] else _default(kind, found["default"], found["name"], path)
    return Param(found["name"], kind, bool(found["required"]), default, bounds, found["doc"])


def _default(kind: str, raw: str, name: str, path: str) -> Any:
    try:
        if kind == "INT":
            return int(raw)
        if kind == "FLOAT":
            return float(raw)
    except ValueError:
        raise QueryError(f"{path}: parameter {name}: default {raw!r} is not a {kind}") from None
    if kind == "BOOL":
        if raw not in ("true", "false"):
            raise QueryError(f"{path}: parameter {name}: a BOOL default is true or false")
        return raw == "true"
    if kind == "TYPES" and raw not in ("all", "organisations"):
        raise QueryError(f"{path}: parameter {name}: a TYPES default is `all` or `organisations`")
    if kind == "STRING" and raw == "''":
        return ""
    return raw


def _check_unique(names: list[str], what: str, path: str) -> None:
    seen = set()
    for n in names:
        if n in seen:
            raise QueryError(f"{path}: {what} {n!r} is declared twice")
        seen.add(n)


def _show(value: Any) -> str:
    if value == "":
        return "''"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
