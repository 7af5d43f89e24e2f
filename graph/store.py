"""The store interface: the few operations every graph store offers.

Two implementations: the embedded default (Kùzu, a folder on disk, no
server) and Neo4j. Both hold the same shape, so one Cypher text serves both:

- every entity is a node with the label `Entity` and the properties
  `id` (key), `type` (an ontology node type), `name`, `aliases` (list),
  `reports` (list of report ids), and analysis scores once
  `ufgraph analyze` has written them (`degree`, `betweenness`,
  `community`), and `forms` (see entity_forms: how queries find an entity
  by a name or alias, or part of one, through an index), and `post_types`
  (see held_post_types: the bodies a person holds posts in, kept so that
  counting them reads no relationship). Neo4j also labels
  it with its type (`:Entity:Person`) for Browser styling; queries select by
  `n.type`, which both stores share.
- every report is a node labelled `Report` with `id`, `title`, `date`,
  `source`, `authors` (list), `path`.
- each relationship type of the ontology is a relationship type of the
  store (HOLDS_POST, RUNS, ...), between Entity nodes, with its ontology
  properties (`title`, `role`, `what`), `reports` (list), `dates` (list of
  report dates), `origin` ("report" or "gazetteer") and `evidence` (a JSON
  list of {report, sentence, start, end, rule, date}).
- MENTIONED_IN joins Entity to Report with `evidence` (the first sentence)
  and `count`.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Iterable

from .delta import GraphDelta
from .model import Edge, GraphDocument, Node

HOLDS_POST = "HOLDS_POST"


FORMS_SEPARATOR = "|"

# The embedded store's lookup table: Kùzu has no secondary index, so finding an entity by name
# or alias read every entity (21 ms at 10,000 reports, once per lookup; `profile` looks up three
# times). Each id, name and alias is a key node, linked to the entities it names: a lookup is
# one primary-key read and one step (queries/params.py, `{{lookup(e, $name)}}`).
NAME_TABLE = "UfgraphName"
NAMES_REL = "UfgraphNames"


def name_keys(node_id: str, name: str, aliases) -> set[str]:
    """The exact texts an entity is looked up by: its id, name and aliases (none empty)."""
    return {key for key in (node_id, name, *aliases) if key}


def entity_forms(name: str, aliases) -> str:
    """An entity's name and aliases in one lower-cased text, each between separators
    (`|name|alias|`). Neo4j keeps a text (trigram) index on it, which serves two kinds of query:
    - `search` (case-insensitive substring of a name or alias) is one index operation,
      `e.forms CONTAINS toLower($text)`, where lower-casing every name and alias in the query
      took 370 ms at 10,000 reports (130,000 entities);
    - the modules' exact lookup (`{{named(e, $name)}}`, queries/params.py) finds an alias by
      `e.forms CONTAINS toLower('|' + $name + '|')`, besides the range indexes on id and name,
      where `$name IN e.aliases` read every entity.
    Both check the names themselves afterwards, so a name that holds the separator, or one that
    Python lower-cases otherwise than the store does, cannot match wrongly (at worst such a
    name is missed by `search` on either store, or by Neo4j's lookup)."""
    forms = [name, *aliases]
    return (FORMS_SEPARATOR + FORMS_SEPARATOR.join(forms) + FORMS_SEPARATOR).lower()


def held_post_types(nodes: Iterable[Node], edges: Iterable[Edge]) -> dict[str, list[str]]:
    """Entity id → the types of the bodies it holds posts in (HOLDS_POST targets), one per body,
    sorted; entities with no post are left out (stores hold []).

    Stores keep this on each entity as `post_types`, so that `interlocks` counts a person's
    posts by the kind of body from one list per person, without reading the 67,000 posts of a
    10,000-report graph and each post's body (see queries/interlocks.cypher for the figures).
    A whole write computes it here. A change works it out again, in the store, for the entities
    whose posts it alters (posts written or removed, a body removed or given another type), so
    it always equals what the store's links say. One link per source, type and target
    (resolve), so one type per body."""
    types = {n.id: n.type for n in nodes}
    out: dict[str, list[str]] = {}
    for e in edges:
        if e.type == HOLDS_POST and e.target in types:
            out.setdefault(e.source, []).append(types[e.target])
    for held in out.values():
        held.sort()
    return out


def posts_touched(delta: GraphDelta) -> set[str]:
    """Entities whose `post_types` a change alters, besides those holding posts in a node it
    removes or gives another type (the store finds those before writing): the sources of the
    HOLDS_POST links it writes or removes. A node it writes keeps its `post_types`, and a new
    one starts with []."""
    keys = [*delta.removed_edges, *(e.key for e in delta.edges)]
    return {source for source, rel, _ in keys if rel == HOLDS_POST}


class GraphStore(ABC):
    """A graph store. Writes are all-or-nothing; failures raise StoreError."""

    name: str = "store"

    @abstractmethod
    def replace(self, doc: GraphDocument, stamp: str = "") -> None:
        """Make the store hold exactly `doc` (and record `stamp` with it); on failure the
        previous graph stays whole."""

    # A store that writes a graph in two steps: stage(doc) writes what the load needs to disk
    # and returns a small, picklable handle; replace_staged(handle, stamp) then does the work of
    # replace. A refresh stages in a child process, so the load runs without the documents and
    # the resolved graph in memory (graph/forked.py).
    stages_on_disk = False

    def stage(self, doc: GraphDocument, owner: int):
        """Write what replacing the graph by `doc` needs; `owner`: the pid of the process that
        will call replace_staged (what it stages is a leftover once that process is gone)."""
        raise NotImplementedError

    def replace_staged(self, staged, stamp: str = "") -> None:
        raise NotImplementedError

    def stamp(self) -> str:
        """The stamp recorded with the graph held now ("" when none, or not kept)."""
        return ""

    def apply(self, delta: GraphDelta, before: str, after: str) -> None:
        """Apply `delta` (see graph/delta.py) all-or-nothing and record `after`; raises
        StaleStoreError when the store's stamp is not `before`. Stores that cannot change a
        graph in place raise NotImplementedError, and the refresh writes the whole graph."""
        raise NotImplementedError

    @abstractmethod
    def read(self) -> GraphDocument:
        """The whole graph held now, as a document."""

    @abstractmethod
    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only Cypher query with parameters; a write is refused with QueryError."""

    def run_columns(self, cypher: str, params: dict[str, Any] | None, columns: tuple[str, ...]) -> list[dict[str, Any]]:
        """`run` for a query known to return `columns` (a query module's), which a store may
        fetch in a faster way; the same rows, in the same order where the query orders them."""
        return self.run(cypher, params)

    @abstractmethod
    def set_node_properties(self, prop: str, values: dict[str, Any]) -> None:
        """Write one analysis property (degree, betweenness, community) onto nodes by id."""

    def close(self) -> None:
        """Release what the store holds open."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
