"""Parameters of query modules: refuse undeclared ones, check and default the
declared ones, read them from `key=value` text (the CLI), and fill the
placeholders a module text may hold.

Values always travel as Cypher parameters ($name). The one exception is a
variable-length bound (`*1..{{depth}}`): neither Kùzu nor Neo4j takes a
parameter there, so an INT parameter declared with a small range may be
written into the text — only after it was checked to be an int in that
range, and only as the digits of that int. `{{links}}` becomes the
ontology's relationship types between entities, each passed through
check_rel_type. `{{named(e, $name)}}` becomes the store's test that node
`e` is the entity with id, name or alias `$name` (still a parameter):
Neo4j finds it through its indexes on id and name and the text index on
`forms` (graph/store.entity_forms, lower-cased), then checks the aliases;
the embedded store, which has no index to use, reads id, name and aliases
of every entity (21 ms on the 10,000-report graph). Where a module starts
from the entity looked up, it writes the whole clause instead,
`{{lookup(e, $name)}}`: on Neo4j `MATCH (e:Entity) WHERE` and the same
test, on the embedded store one primary-key read in its name table
(graph/store.NAME_TABLE) and one step to the entities the text names,
a few milliseconds. An embedded variant may start a longer pattern with
`{{name_key(e, $name)}}` instead, to give Kùzu a join order (HINT) where
its planner would read every link of a type rather than extend from the
entity found. Kùzu's plans differ enough that each module keeps the form
measured fastest on the 10,000-report graph (BENCHMARKS.md, section 5).
`{{report_links(s, l, t, rep)}}`, in embedded variants only, binds l to
each relationship from s to t and rep to each report that states it, one
row per pair, through the store's index of them (graph/kuzu_links.py):
l.rel, l.detail, and l_in, the step from l to rep, with l_in.evidence (the
relationship's evidence in that report). Any of s, t and rep may be bound.
`{{liaison_table}}`, in embedded variants only, is the store's table of
liaison links as `liaisons` shows them (graph/kuzu_liaisons.py).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from ..errors import OntologyError, QueryError
from ..graph.ontology import load_ontology
from ..graph.kuzu_liaisons import LIAISON_TABLE
from ..graph.kuzu_links import LINK_REPORTS, LINK_SOURCE, LINK_TABLE, LINK_TARGET
from ..graph.store import FORMS_SEPARATOR, NAME_TABLE, NAMES_REL
from .catalog import Param, QueryModule

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
_NAMED = re.compile(r"\{\{(named|lookup|name_key)\(([a-z][a-z0-9_]*), \$([a-z][a-z0-9_]*)\)\}\}")
_LOOKUPS = {  # by store kind; {v} is the node variable, {p} the parameter
    "neo4j": "({v}.id = ${p} OR {v}.name = ${p} OR ({v}.forms CONTAINS toLower('%s' + ${p} + '%s') "
             "AND ${p} IN {v}.aliases))" % (FORMS_SEPARATOR, FORMS_SEPARATOR),
    "embedded": "({v}.id = ${p} OR {v}.name = ${p} OR ${p} IN {v}.aliases)",
}
_CLAUSES = {  # {{lookup(v, $p)}}: the clause that binds v to the entities $p names
    "neo4j": "MATCH ({v}:Entity) WHERE " + _LOOKUPS["neo4j"],
    "embedded": f"MATCH (:{NAME_TABLE} {{{{key: ${{p}}}}}})-[:{NAMES_REL}]->({{v}}:Entity)",
}
# {{name_key(v, $p)}}, in embedded variants only: the same lookup as the start of a longer pattern,
# its steps named v_key and v_name, for a join-order HINT (Kùzu plans some lookups badly without).
_FRAGMENTS = {"embedded": f"({{v}}_key:{NAME_TABLE} {{{{key: ${{p}}}}}})-[{{v}}_name:{NAMES_REL}]->({{v}}:Entity)"}
_REPORT_LINKS = re.compile(r"\{\{report_links\(([a-z][a-z0-9_]*), ([a-z][a-z0-9_]*), ([a-z][a-z0-9_]*), "
                           r"([a-z][a-z0-9_]*)\)\}\}")
_REPORT_LINK_CLAUSES = {"embedded": (f"MATCH ({{s}}:Entity)<-[:{LINK_SOURCE}]-({{l}}:{LINK_TABLE})"
                                     f"-[{{l}}_in:{LINK_REPORTS}]->({{rep}})\nMATCH ({{l}})-[:{LINK_TARGET}]->({{t}}:Entity)")}
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


def check_params(module: QueryModule, given: Mapping[str, Any]) -> dict[str, Any]:
    """All parameters of `module`: the given ones checked, the others defaulted."""
    unknown = sorted(set(given) - {p.name for p in module.params})
    if unknown:
        raise QueryError(f"query {module.name!r} takes no parameter {', '.join(unknown)}; "
                         f"it takes: {_declared(module)}")
    values = {}
    for param in module.params:
        if given.get(param.name) is None:
            if param.required:
                raise QueryError(f"query {module.name!r} needs the parameter {param.describe()}")
            values[param.name] = _checked(module, param, param.default)
        else:
            values[param.name] = _checked(module, param, given[param.name])
    return values


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """`key=value` strings (as given to `-p`) as a dict; a repeated key is refused."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"parameter {pair!r} is not of the form key=value")
        if key in out:
            raise QueryError(f"parameter {key!r} is given twice")
        out[key] = value
    return out


def from_text(module: QueryModule, raw: Mapping[str, str]) -> dict[str, Any]:
    """Parameters given as text (the CLI), converted to their declared types."""
    out: dict[str, Any] = {}
    for key, text in raw.items():
        param = module.param(key)
        out[key] = text if param is None else _convert(module, param, text)
    return out  # undeclared keys stay, for check_params to refuse with the full message


def fill_placeholders(module: QueryModule, text: str, values: Mapping[str, Any], store_kind: str = "neo4j") -> str:
    """`text` with {{links}}, {{bound}}, {{named(v, $param)}} and the other placeholders filled
    (see the module docstring)."""
    def fill(found: re.Match) -> str:
        name = found.group(1)
        if name == "links":
            return "|".join(entity_link_types())
        if name == "liaison_table" and store_kind == "embedded":
            return LIAISON_TABLE
        param = module.param(name)
        if param is None or param.type != "INT" or param.bounds is None:
            raise QueryError(f"{module.path}: placeholder {{{{{name}}}}} names no INT parameter with a range")
        value = values[name]
        low, high = param.bounds
        # Checked again right here: only an int in its declared range becomes query text.
        if type(value) is not int or not low <= value <= high:
            raise QueryError(f"{module.name}: {name} must be an integer from {low} to {high}")
        return str(value)

    def named(found: re.Match) -> str:
        form, variable, name = found.groups()
        param = module.param(name)
        if param is None or param.type != "STRING":
            raise QueryError(f"{module.path}: {found.group(0)} names no STRING parameter")
        forms = {"named": _LOOKUPS, "lookup": _CLAUSES, "name_key": _FRAGMENTS}[form]
        if store_kind not in forms:
            raise QueryError(f"{module.path}: {found.group(0)} serves the embedded store's variants only")
        return forms[store_kind].format(v=variable, p=name)

    def report_links(found: re.Match) -> str:
        if store_kind not in _REPORT_LINK_CLAUSES:
            raise QueryError(f"{module.path}: {found.group(0)} serves the embedded store's variants only")
        return _REPORT_LINK_CLAUSES[store_kind].format(**dict(zip(("s", "l", "t", "rep"), found.groups())))
    text = _PLACEHOLDER.sub(fill, _NAMED.sub(named, _REPORT_LINKS.sub(report_links, text)))
    left = re.search(r"\{\{.*?\}\}", text)
    if left:  # a misspelt placeholder would reach the store as a syntax error far from its cause
        raise QueryError(f"{module.path}: {left.group(0)} is no placeholder this store fills")
    return text


def used_params(text: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters that `text` uses: Kùzu refuses one it does not (a bound may have been
    written into the text instead)."""
    return {k: v for k, v in values.items() if re.search(rf"\${k}\b", text)}


def lookup_clause(variable: str, param: str, store_kind: str) -> str:
    """What {{lookup(variable, $param)}} becomes on `store_kind`: a clause binding `variable` to
    each entity that `$param` names."""
    return _CLAUSES[store_kind].format(v=variable, p=param)


def entity_link_types() -> list[str]:
    """The relationship types that join two entities (all but those ending at a Report)."""
    onto = load_ontology()
    return [onto.check_rel_type(name) for name, spec in onto.rel_types.items() if "Report" not in spec.targets]


# ---------------------------------------------------------------- checking one value

def _checked(module: QueryModule, param: Param, value: Any) -> Any:
    where = f"query {module.name!r}, parameter {param.name}"
    if param.type == "TYPES":
        return _node_types(where, value)
    expected = {"STRING": str, "INT": int, "FLOAT": (int, float), "BOOL": bool}[param.type]
    if isinstance(value, bool) and param.type != "BOOL" or not isinstance(value, expected):
        raise QueryError(f"{where}: expected {param.type}, got {type(value).__name__} {value!r}")
    if param.type == "FLOAT":
        return float(value)
    if param.type == "STRING" and param.required and not value.strip():
        raise QueryError(f"{where}: must not be empty")
    if param.bounds and not param.bounds[0] <= value <= param.bounds[1]:
        raise QueryError(f"{where}: {value} is outside {param.bounds[0]}..{param.bounds[1]}")
    return value


def _node_types(where: str, value: Any) -> list[str]:
    """Node types as a non-empty list (Kùzu cannot take an empty or null list parameter)."""
    onto = load_ontology()
    if value in ("all", "organisations"):
        return sorted(onto.organisation_types) if value == "organisations" else list(onto.node_types)
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(t, str) for t in items):
        raise QueryError(f"{where}: expected node types (a list, or text separated by commas), got {value!r}")
    names = [t.strip() for t in items if t.strip()]
    if not names:
        raise QueryError(f"{where}: name at least one node type, or `all`")
    try:
        return [onto.check_label(t) for t in names]
    except OntologyError as exc:
        raise QueryError(f"{where}: {exc}; known types: {', '.join(onto.node_types)}") from None


def _convert(module: QueryModule, param: Param, text: str) -> Any:
    where = f"query {module.name!r}, parameter {param.name}"
    if param.type in ("STRING", "TYPES"):
        return text
    if param.type == "BOOL":
        word = text.strip().lower()
        if word not in _TRUE | _FALSE:
            raise QueryError(f"{where}: {text!r} is not true or false")
        return word in _TRUE
    try:
        return int(text) if param.type == "INT" else float(text)
    except ValueError:
        raise QueryError(f"{where}: {text!r} is not {'an integer' if param.type == 'INT' else 'a number'}") from None


def _declared(module: QueryModule) -> str:
    return ", ".join(p.name for p in module.params) or "no parameters"
