"""Folding the embedded store's log of changes in the background (graph/fold.py): the fold
leaves the same graph without a log, gives way to a change that came in between, and a
refresh starts it once the log passes FOLD_AT. Reports are invented (test_refresh.py)."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from test_refresh import report_text, run_refresh, signature, write_reports
from ufgraph.graph import config
from ufgraph.graph import embedded as embedded_module
from ufgraph.graph import fold as fold_module
from ufgraph.graph import journal
from ufgraph.graph import refresh as refresh_module
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.fold import _fold_lock, fold, start_fold


def _change(folder: Path, i: int, n: int) -> None:
    (folder / f"r{i:04d}.txt").write_text(report_text(i) + f"本报讯 今年以来，全市商会共组织政策宣讲{n}场。\n", "utf-8")


def _store(data: Path) -> EmbeddedStore:
    return EmbeddedStore(config.embedded_store_dir(data))


def _changed_once(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder whose store holds a full write and one change in its log."""
    folder, data = tmp_path / "reports", tmp_path / "data"
    write_reports(folder, range(12))
    run_refresh(folder, data)
    _change(folder, 3, 1)
    run_refresh(folder, data)
    with _store(data) as store:
        assert store.log_bytes() > 0  # the change went to the log, in place
    return folder, data


def _names(store: EmbeddedStore) -> list[dict]:
    rows = store.run("MATCH (k:UfgraphName)-[:UfgraphNames]->(n:Entity) RETURN k.key AS key, n.id AS id "
                     "ORDER BY key, id")
    assert len(rows) > len({row["id"] for row in rows})  # names besides the ids
    return rows


def test_a_fold_leaves_the_same_graph_and_stamp_without_a_log(tmp_path):
    folder, data = _changed_once(tmp_path)
    with _store(data) as store:
        before, stamp, names = store.read(), store.stamp(), _names(store)
    assert fold(data).startswith("folded")
    with _store(data) as store:
        assert store.log_bytes() == 0 and store.stamp() == stamp
        assert store.read() == before
        assert _names(store) == names  # the name table (graph/store.NAME_TABLE) goes with the graph
    assert not list(data.glob("fold-*")) and not list(config.embedded_store_dir(data).glob("stage-*"))
    _change(folder, 5, 2)  # the next change goes in place again, and equals a rebuild
    _, after = run_refresh(folder, data)
    with _store(data) as store:
        assert store.log_bytes() > 0
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    assert signature(after) == signature(fresh)


def test_a_fold_catches_up_with_the_changes_made_while_it_ran(tmp_path, monkeypatch):
    folder, data = _changed_once(tmp_path)
    store_dir = config.embedded_store_dir(data)

    def change_meanwhile():  # while the fold resolves and loads
        _change(folder, 7, 3)
        run_refresh(folder, data)
        (folder / "r0009.txt").unlink()
        run_refresh(folder, data)
        (folder / "r0003.txt").write_text(report_text(3), "utf-8")  # back as it was: the same report id
        run_refresh(folder, data)
        assert len(list(store_dir.glob("journal-*/0*.json"))) == 3
    catch_up = EmbeddedStore._catch_up
    passes = []

    def catch_up_and_change(self, build, changes, stamp):  # one more change during the catching up
        passes.append(len(changes))
        after = catch_up(self, build, changes, stamp)
        if len(passes) == 1:
            _change(folder, 5, 4)
            run_refresh(folder, data)
        return after
    monkeypatch.setattr(EmbeddedStore, "_catch_up", catch_up_and_change)
    assert fold(data, before_switch=change_meanwhile).startswith("folded")
    assert passes == [3, 1]
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    with _store(data) as store:
        assert signature(store.read()) == signature(fresh)
        assert store.log_bytes() < 200_000  # the changes caught up with, composed, and no more
    assert not list(store_dir.glob("journal-*")) and not list(store_dir.glob("stage-*"))
    _change(folder, 8, 5)  # and the next change goes in place on the folded database
    _, after = run_refresh(folder, data)
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    assert signature(after) == signature(fresh)


def test_changes_made_while_the_fold_copies_the_database_are_caught_up_with(tmp_path, monkeypatch):
    folder, data = _changed_once(tmp_path)
    real_copy = embedded_module._copy_unchanged

    def change_then_copy(source, target):  # the fold has its journal and the log; the lock is let go of
        _change(folder, 7, 3)
        run_refresh(folder, data)  # does not wait for the fold: it holds no lock now
        (folder / "r0009.txt").unlink()
        run_refresh(folder, data)
        return real_copy(source, target)
    monkeypatch.setattr(embedded_module, "_copy_unchanged", change_then_copy)
    outcome = fold(data)
    assert "changes made meanwhile: 2" in outcome, outcome
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    with _store(data) as store:
        assert signature(store.read()) == signature(fresh)
    _change(folder, 8, 5)  # the next change goes in place on the folded database, and equals a rebuild
    _, after = run_refresh(folder, data)
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    assert signature(after) == signature(fresh)


def test_a_fold_copies_analysis_scores_with_the_graph(tmp_path):
    """The fold reads the live graph, so what `analyze --write` stored there stays."""
    _, data = _changed_once(tmp_path)
    with _store(data) as store:
        ids = [row["id"] for row in store.run("MATCH (n:Entity) RETURN n.id AS id ORDER BY id LIMIT 3")]
        store.set_node_properties("community", {ids[0]: 7, ids[1]: 8})
    assert fold(data).startswith("folded")
    with _store(data) as store:
        held = store.run("MATCH (n:Entity) WHERE n.community IS NOT NULL RETURN n.id AS id, n.community AS c "
                         "ORDER BY id")
    assert held == [{"id": ids[0], "c": 7}, {"id": ids[1], "c": 8}]


def test_a_fold_gives_way_to_a_rebuild_that_came_in_between(tmp_path):
    folder, data = _changed_once(tmp_path)

    def rebuild_meanwhile():
        _change(folder, 7, 3)
        run_refresh(folder, data, full=True)
    assert fold(data, before_switch=rebuild_meanwhile).startswith("dropped")
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    with _store(data) as store:
        assert signature(store.read()) == signature(fresh)
    store_dir = config.embedded_store_dir(data)
    assert not list(store_dir.glob("stage-*")) and not list(store_dir.glob("journal-*"))


def test_changes_are_journaled_only_while_a_fold_runs(tmp_path):
    folder, data = _changed_once(tmp_path)
    store_dir = config.embedded_store_dir(data)
    (store_dir / "journal-999999999").mkdir()  # of a fold that is gone
    _change(folder, 4, 2)
    run_refresh(folder, data)
    assert not list(store_dir.glob("journal-*"))


def test_one_fold_at_a_time(tmp_path):
    _, data = _changed_once(tmp_path)
    with _fold_lock(data) as held:
        assert held
        assert fold(data) == "another fold is running"
    with _store(data) as store:
        assert store.log_bytes() > 0


def test_a_refresh_starts_a_fold_once_the_log_passes_fold_at(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(refresh_module, "start_fold", started.append)
    folder, data = tmp_path / "reports", tmp_path / "data"
    write_reports(folder, range(12))
    run_refresh(folder, data)
    _change(folder, 3, 1)
    run_refresh(folder, data)
    assert started == []  # the log is short
    monkeypatch.setattr(fold_module, "FOLD_AT", 0)
    _change(folder, 4, 2)
    run_refresh(folder, data)
    assert started == [data]


def test_a_started_fold_runs_in_a_process_of_its_own(tmp_path):
    _, data = _changed_once(tmp_path)
    start_fold(data)
    log = data / fold_module.FOLD_LOG
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "fold of" not in (log.read_text("utf-8") if log.exists() else ""):
        time.sleep(0.2)
    assert "folded the log" in log.read_text("utf-8")
    with _store(data) as store:
        assert store.log_bytes() == 0


def test_the_fold_log_is_set_aside_once_it_is_long(tmp_path, monkeypatch):
    started = []
    commands = []

    def popen(args, stdout, **_):
        commands.append(args)
        started.append(stdout.name)
    monkeypatch.setattr(fold_module.subprocess, "Popen", popen)
    monkeypatch.setattr(fold_module, "FOLD_LOG_KEEP", 100)
    log = tmp_path / fold_module.FOLD_LOG
    log.write_text("fold of x: folded\n" * 3, "utf-8")  # 54 bytes: kept
    start_fold(tmp_path)
    assert log.read_text("utf-8").count("folded") == 3 and not log.with_name("fold.log.1").exists()
    log.write_text("fold of x: folded\n" * 10, "utf-8")  # 180 bytes: set aside
    start_fold(tmp_path)
    assert log.with_name("fold.log.1").read_text("utf-8").count("folded") == 10
    assert log.read_text("utf-8") == "" and started == [str(log), str(log)]
    if shutil.which("ionice"):  # the fold yields the disk to the refreshes beside it
        assert commands[0][:3] == ["ionice", "-c", "3"]


def test_no_fold_is_due_while_one_runs(tmp_path, monkeypatch):
    _, data = _changed_once(tmp_path)
    monkeypatch.setattr(fold_module, "FOLD_AT", 0)
    with _store(data) as store:
        assert fold_module.fold_due(store)
        journal_dir = journal.open_journal(store.folder, os.getpid(), store.current_dir())  # as a running fold does
        assert not fold_module.fold_due(store)
        shutil.rmtree(journal_dir)
        assert fold_module.fold_due(store)
