"""Folding the embedded store's log of changes in the background (graph/fold.py): the fold
leaves the same graph without a log, gives way to a change that came in between, and a
refresh starts it once the log passes FOLD_AT. Reports are invented (test_refresh.py)."""
from __future__ import annotations

import time
from pathlib import Path

from test_refresh import report_text, run_refresh, signature, write_reports
from ufgraph.graph import config
from ufgraph.graph import fold as fold_module
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


def test_a_fold_leaves_the_same_graph_and_stamp_without_a_log(tmp_path):
    folder, data = _changed_once(tmp_path)
    with _store(data) as store:
        before, stamp = store.read(), store.stamp()
    assert fold(data).startswith("folded")
    with _store(data) as store:
        assert store.log_bytes() == 0 and store.stamp() == stamp
        assert store.read() == before
    assert not list(data.glob("fold-*")) and not list(config.embedded_store_dir(data).glob("stage-*"))
    _change(folder, 5, 2)  # the next change goes in place again, and equals a rebuild
    _, after = run_refresh(folder, data)
    with _store(data) as store:
        assert store.log_bytes() > 0
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    assert signature(after) == signature(fresh)


def test_a_fold_gives_way_to_a_change_that_came_in_between(tmp_path):
    folder, data = _changed_once(tmp_path)

    def change_meanwhile():
        _change(folder, 7, 3)
        run_refresh(folder, data)
    assert fold(data, before_switch=change_meanwhile).startswith("dropped")
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    with _store(data) as store:
        assert store.log_bytes() > 0  # the live database, with both changes, is the one kept
        assert signature(store.read()) == signature(fresh)
    assert not list(config.embedded_store_dir(data).glob("stage-*"))


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
