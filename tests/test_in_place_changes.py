"""In-place changes to the embedded store survive Kùzu's replay of its log of changes.

An incremental refresh commits its change to Kùzu's log and never checkpoints (graph/embedded.py);
every later open replays the log. Kùzu 0.11.3 replayed a DETACH DELETE wrongly: after two linked
nodes were removed, an id lookup missed another node's relationship, which a scan still found, so
the next change could not delete it and the graph kept a stale link. Reports are invented
(test_refresh.py)."""
from __future__ import annotations

from pathlib import Path

from test_fold import _change, _store
from test_refresh import run_refresh, signature, write_reports
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.kuzu_rows import relationship_tables


def _lookups_agree_with_scans(store: EmbeddedStore) -> None:
    """Every relationship a scan finds is found from either end by an id lookup, and no other."""
    between, to_report = relationship_tables()
    ids = {label: [r["id"] for r in store.run(f"MATCH (n:{label}) RETURN n.id AS id")]
           for label in ("Entity", "Report")}
    for rel in [*between, *to_report]:
        target = "Report" if rel in to_report else "Entity"
        scan = sorted((r["a"], r["b"]) for r in store.run(
            f"MATCH (a:Entity)-[:{rel}]->(b:{target}) RETURN a.id AS a, b.id AS b"))
        forward = sorted((i, r["b"]) for i in ids["Entity"] for r in store.run(
            f"MATCH (a:Entity {{id: $id}})-[:{rel}]->(b:{target}) RETURN b.id AS b", {"id": i}))
        backward = sorted((r["a"], i) for i in ids[target] for r in store.run(
            f"MATCH (a:Entity)-[:{rel}]->(b:{target} {{id: $id}}) RETURN a.id AS a", {"id": i}))
        assert forward == scan and backward == scan, rel


def test_a_change_after_removing_a_report_equals_a_rebuild(tmp_path: Path):
    folder, data = tmp_path / "reports", tmp_path / "data"
    write_reports(folder, range(12))
    run_refresh(folder, data)
    (folder / "r0009.txt").unlink()  # its chamber and enterprise, linked to each other, go
    run_refresh(folder, data)
    with _store(data) as store:
        _lookups_agree_with_scans(store)
        live = store.current_dir()
    _change(folder, 8, 1)  # a link of another chamber, found by id lookup, is rewritten
    _, after = run_refresh(folder, data)
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    with _store(data) as store:
        assert store.current_dir() == live  # both changes went in place, into the log
        _lookups_agree_with_scans(store)
    assert signature(after) == signature(fresh)
