"""The embedded store's table of liaison links as `liaisons` shows them.

`liaisons` lists LIAISES_WITH links sorted by their ends' names, each with the
posts held around both ends. Kùzu reads every property a query names for every
row it scans, before it sorts and cuts them, and answers the posts' OPTIONAL
MATCH by hashing all HOLDS_POST links, however few ends are kept: 200-250 ms
at 10,000 reports (BENCHMARKS.md, section 5). So beside each liaison link the
embedded store keeps one row UfgraphLiaison with what the module returns: the
ends' ids, names, types and lookup keys (graph/store.name_keys) and their
posts as the module writes them (另一端（职务）). The module then sorts one
table of 23,720 rows: 43 ms against 211 (median). Neo4j needs no such table: it reads its name
index in order.

A full write builds the rows from the document (graph/kuzu_tables.py). A
change (liaison_statements) rewrites the rows of the liaison links it writes
or removes, and sets again the side of every row whose end it gives another
name, type, aliases or posts. All of it is worked out from what the store
holds before the change: Kùzu 0.11.3 misreads a relationship deleted and
created again in the same transaction (see graph/embedded._post_types_after).
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from .delta import GraphDelta
from .kuzu_links import LINK_SOURCE, LINK_TABLE, LINK_TARGET, link_key
from .kuzu_rows import NODE_OF
from .model import Edge, Node
from .store import HOLDS_POST, name_keys

LIAISES_WITH = "LIAISES_WITH"
LIAISON_TABLE = "UfgraphLiaison"
SIDES = ("liaison", "counterpart")  # the source's columns, then the target's
SIDE_COLUMNS = ("id", "", "_type", "_keys", "_posts")  # suffixes after the side's name
SCHEMA = [f"CREATE NODE TABLE {LIAISON_TABLE}(key STRING PRIMARY KEY, role STRING, reports STRING[], "
          + ", ".join(f"{side}{suffix} {'STRING[]' if suffix in ('_keys', '_posts') else 'STRING'}"
                      for side in SIDES for suffix in SIDE_COLUMNS) + ")"]

Read = Callable[[str, dict], list[list]]  # query text and parameters → rows
Side = dict[str, object]  # one end's columns without the side's name: id, name, type, keys, posts


def post_label(other_name: str, title: str | None) -> str:
    """A post as the module shows it: the other end's name, with the title in brackets."""
    return other_name if title is None else f"{other_name}（{title}）"


def side(node_id: str, name: str, node_type: str, aliases: Iterable[str], posts: Iterable[str]) -> Side:
    return {"id": node_id, "": name, "_type": node_type, "_keys": sorted(name_keys(node_id, name, aliases)),
            "_posts": sorted(set(posts))}


def liaison_row(e: Edge, source: Side, target: Side) -> dict:
    row = {"key": link_key(e.key), "role": e.props.get("role"), "reports": list(e.reports)}
    for name, end in zip(SIDES, (source, target)):
        row.update({f"{name}{suffix}": end[suffix] for suffix in SIDE_COLUMNS})
    return row


def document_liaison_rows(nodes: list[Node], edges: list[Edge]) -> Iterator[dict]:
    """The rows of a whole document's liaison links (`edges`: its relationships between entities)."""
    links = [e for e in edges if e.type == LIAISES_WITH]
    ends = {i for e in links for i in (e.source, e.target)}
    by_id = {n.id: n for n in nodes}
    posts: dict[str, set[str]] = {i: set() for i in ends}
    for e in edges:
        if e.type == HOLDS_POST:
            for end, other in ((e.source, e.target), (e.target, e.source)):
                if end in posts:
                    posts[end].add(post_label(by_id[other].name, e.props.get("title")))
    sides = {i: side(i, by_id[i].name, by_id[i].type, by_id[i].aliases, posts[i]) for i in ends}
    return (liaison_row(e, sides[e.source], sides[e.target]) for e in links)


# ---------------------------------------------------------------- a change

# Both directions of a post, with the other end's name; each a primary-key read and one step.
_POSTS = ["MATCH (n:Entity {id: $id})-[h:HOLDS_POST]->(o:Entity) RETURN o.id, o.name, h.title, 'out'",
          "MATCH (n:Entity {id: $id})<-[h:HOLDS_POST]-(o:Entity) RETURN o.id, o.name, h.title, 'in'"]
# The liaison links at an entity, by side, from the index of links (graph/kuzu_links.py).
_AT = {name: f"MATCH (n:Entity {{id: $id}})<-[:{rel}]-(l:{LINK_TABLE}) WHERE l.rel = '{LIAISES_WITH}' RETURN l.key"
       for name, rel in zip(SIDES, (LINK_SOURCE, LINK_TARGET))}
_DROP_KEY = f"MATCH (r:{LIAISON_TABLE} {{key: $key}}) DELETE r"
_MAKE = (f"CREATE (:{LIAISON_TABLE} {{key: $key, role: $role, reports: $reports, "
         + ", ".join(f"{name}{suffix}: ${name}{suffix}" for name in SIDES for suffix in SIDE_COLUMNS) + "})")
_SET_SIDE = {name: f"MATCH (r:{LIAISON_TABLE}) WHERE r.{name}id = $id SET "
                   + ", ".join(f"r.{name}{suffix} = ${suffix.lstrip('_') or 'name'}" for suffix in SIDE_COLUMNS[1:])
             for name in SIDES}


def liaison_statements(read: Read, delta: GraphDelta, known: dict[str, tuple | None]) -> list[tuple[str, dict]]:
    """The statements that make the liaison rows match the graph after `delta`, to run after the
    delta's own. Everything is read through `read` before anything is written: each read is a
    primary-key lookup and one step, and a side is set again only where it differs. `known`:
    nodes the caller has read already, id → (type, name, aliases), or None if the store lacks it."""
    ends = _Ends(read, delta, known)
    links = [e for e in delta.edges if e.type == LIAISES_WITH]
    at = {(i, name): {key for (key,) in read(_AT[name], {"id": i})} for i in sorted(ends.touched()) for name in SIDES}
    dropped = {key for (i, _), keys in at.items() if i in ends.removed for key in keys}
    dropped |= {link_key(k) for k in delta.removed_edges if k[1] == LIAISES_WITH} | {link_key(e.key) for e in links}
    out = [(_DROP_KEY, {"key": key}) for key in sorted(dropped)]
    out += [(_MAKE, liaison_row(e, ends.after(e.source), ends.after(e.target))) for e in links]
    for node_id in sorted(ends.touched() - ends.removed):
        sides = [name for name in SIDES if at[node_id, name] - dropped]  # its rows the change keeps
        after = ends.after(node_id) if sides else None
        if after is not None and ends.before(node_id) != after:
            params = {"id": node_id, "name": after[""], "type": after["_type"], "keys": after["_keys"],
                      "posts": after["_posts"]}
            out += [(_SET_SIDE[name], params) for name in sides]
    return out


class _Ends:
    """The entities a change may alter the liaison rows of, as the store holds them before it
    and as they are after it. A node the change removes (and perhaps writes again) loses its
    relationships; the change's own relationships are then all it has."""

    def __init__(self, read: Read, delta: GraphDelta, known: dict[str, tuple | None]):
        self.read, self.delta = read, delta
        self.removed = set(delta.removed_nodes)
        self.written = {n.id: n for n in delta.nodes}
        self._nodes = dict(known)  # (type, name, aliases) as the store holds them; None: not there
        self._posts: dict[str, dict[tuple[str, str], tuple[str, str | None]]] = {}
        self._touched: set[str] | None = None

    def touched(self) -> set[str]:
        """Whose side may differ: the nodes written or removed, both ends of the posts written or
        removed, and the other ends of the posts of a node removed or renamed (its name is shown)."""
        if self._touched is None:
            keys = [*self.delta.removed_edges, *(e.key for e in self.delta.edges)]
            renamed = {i for i, n in self.written.items()
                       if (self._stored_node(i) or (None, n.name))[1] != n.name}
            out = set(self.written) | self.removed | {i for s, rel, t in keys if rel == HOLDS_POST for i in (s, t)}
            self._touched = out | {other for i in renamed | self.removed for other, _ in self._stored_posts(i)}
        return self._touched

    def before(self, node_id: str) -> Side | None:
        node = self._stored_node(node_id)
        if node is None:
            return None
        posts = (post_label(name, title) for name, title in self._stored_posts(node_id).values())
        node_type, name, aliases = node
        return side(node_id, name, node_type, aliases, posts)

    def after(self, node_id: str) -> Side:
        node = self.written.get(node_id)
        node_type, name, aliases = (node.type, node.name, node.aliases) if node \
            else self._stored_node(node_id)
        held = {} if node_id in self.removed else {
            key: title for key, (_, title) in self._stored_posts(node_id).items() if key[0] not in self.removed}
        for s, rel, t in self.delta.removed_edges:
            if rel == HOLDS_POST and node_id in (s, t):
                held.pop((t, "out") if s == node_id else (s, "in"), None)
        for e in self.delta.edges:
            if e.type == HOLDS_POST and node_id in (e.source, e.target):
                held[(e.target, "out") if e.source == node_id else (e.source, "in")] = e.props.get("title")
        posts = (post_label(self._name_after(other), title) for (other, _), title in held.items())
        return side(node_id, name, node_type, aliases, posts)

    def _name_after(self, node_id: str) -> str:
        node = self.written.get(node_id)
        return node.name if node else self._stored_node(node_id)[1]

    def _stored_node(self, node_id: str) -> tuple | None:
        if node_id not in self._nodes:
            rows = self.read(NODE_OF, {"id": node_id})
            self._nodes[node_id] = (rows[0][0], rows[0][1], rows[0][2] or []) if rows else None
        return self._nodes[node_id]

    def _stored_posts(self, node_id: str) -> dict[tuple[str, str], tuple[str, str | None]]:
        """(other end, direction) → (its name, the post's title), as the store holds them."""
        if node_id not in self._posts:
            self._posts[node_id] = {(other, way): (name, title) for query in _POSTS
                                    for other, name, title, way in self.read(query, {"id": node_id})}
        return self._posts[node_id]
