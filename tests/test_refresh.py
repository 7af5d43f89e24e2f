"""`ufgraph refresh` end to end: real reports written here (invented names), the real
extractor, the embedded store; the CLI through CliRunner or a subprocess."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from document_sets import as_sets
from ufgraph.cli import main
from ufgraph.errors import ConfigError, StoreLockedError
from ufgraph.graph import config
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.refresh import data_lock, refresh
from ufgraph.loaders import read as read_module

CITIES = ["南充市", "绵阳市", "宜宾市", "遂宁市", "赣州市", "南阳市", "信阳市", "上饶市"]
TRADES = ["茶叶", "五金", "家具", "电子", "食品", "物流", "服装", "建材"]
SURNAMES = "柯闻钟余祁项戚管"
GIVEN = ["远山", "启航", "晓岚", "明哲", "若溪", "嘉树", "望舒", "清和"]


def person(i: int) -> str:
    return SURNAMES[i % 8] + GIVEN[(i // 8) % 8]


def report_text(i: int) -> str:
    """Report i: a chamber meeting in one of eight cities, with the city federation's chair
    (the same person for every report of that city) and the chamber's president."""
    city, trade = CITIES[i % 8], TRADES[(i // 8) % 8]
    chamber = f"{city}{trade}商会"
    month, day = i % 12 + 1, i % 27 + 1
    return (f"{chamber}召开第{i % 5 + 1}届会员大会\n"
            f"2023年{month}月{day}日 来源：测试日报\n"
            f"{month}月{day}日，{chamber}召开会员大会。{city}工商联主席{person(i % 8)}出席会议并讲话。"
            f"{chamber}会长{person(i + 3)}作工作报告。\n"
            f"会上，{chamber}与{city}{trade}科技有限公司签订合作协议。\n")


def write_reports(folder: Path, indexes) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in indexes:
        path = folder / f"r{i:04d}.txt"
        path.write_text(report_text(i), "utf-8")
        paths.append(path)
    return paths


def run_refresh(folder: Path, data: Path, **kw):
    with EmbeddedStore(config.embedded_store_dir(data)) as store:
        summary = refresh([folder], store, data, jobs=kw.pop("jobs", 1), **kw)
        return summary, store.read()


def cli(*args, env=None):
    return CliRunner().invoke(main, ["refresh", *map(str, args)], env=env or {}, catch_exceptions=False)


def signature(doc):
    """Facts by name, not id (a person's id may move with their reports): node and edge → reports."""
    names = {n.id: (n.type, n.name) for n in doc.nodes}
    nodes = {(n.type, n.name, tuple(n.reports)) for n in doc.nodes}
    edges = {(names[e.source], e.type, names[e.target], tuple(e.reports)) for e in doc.edges}
    return nodes, edges


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "reports"
    write_reports(folder, range(12))
    return folder


# ---------------------------------------------------------------- incremental behaviour

def test_second_refresh_extracts_nothing_and_gives_the_same_graph(reports, tmp_path):
    first, graph = run_refresh(reports, tmp_path / "data")
    assert len(first.new) == 12 and first.extracted == 12 and first.ok
    assert first.nodes["Person"] > 0 and first.edges["HOLDS_POST"] > 0
    live = (tmp_path / "data" / "store" / "CURRENT").read_text()
    second, again = run_refresh(reports, tmp_path / "data")
    assert second.extracted == 0 and len(second.unchanged) == 12 and not second.new
    assert again == graph
    assert second.nodes == first.nodes and second.edges == first.edges
    # Same reports, same overrides: the store was not even written again.
    assert (tmp_path / "data" / "store" / "CURRENT").read_text() == live


def test_analysis_scores_survive_a_refresh_that_changes_nothing(reports, tmp_path):
    data = tmp_path / "data"
    _, graph = run_refresh(reports, data)
    some = graph.nodes[0].id
    with EmbeddedStore(data / "store") as store:
        store.set_node_properties("degree", {some: 4})
    _, again = run_refresh(reports, data)
    assert {n.id: n.props for n in again.nodes}[some] == {"degree": 4.0}
    (reports / "r0000.txt").unlink()
    _, changed = run_refresh(reports, data)
    assert all("degree" not in n.props for n in changed.nodes)


def test_a_touched_but_unchanged_file_is_read_not_extracted(reports, tmp_path):
    run_refresh(reports, tmp_path / "data")
    target = reports / "r0003.txt"
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 10**9))
    summary, _ = run_refresh(reports, tmp_path / "data")
    assert summary.extracted == 0 and str(target) in summary.unchanged


def test_a_changed_report_is_extracted_again(reports, tmp_path):
    run_refresh(reports, tmp_path / "data")
    target = reports / "r0005.txt"
    target.write_text(report_text(5).replace("科技有限公司", "精工有限公司"), "utf-8")
    summary, graph = run_refresh(reports, tmp_path / "data")
    assert summary.changed == [str(target)] and summary.extracted == 1
    names = {n.name for n in graph.nodes}
    assert f"{CITIES[5]}{TRADES[0]}精工有限公司" in names
    assert f"{CITIES[5]}{TRADES[0]}科技有限公司" not in names
    _, fresh = run_refresh(reports, tmp_path / "fresh")
    assert graph == fresh


def test_removing_a_report_retracts_exactly_what_only_it_supported(tmp_path):
    folder = tmp_path / "reports"
    # Reports 0 and 8 share a city, its federation and its chair; 8 alone has its chamber,
    # enterprise and president.
    paths = write_reports(folder, [0, 1, 8])
    _, before = run_refresh(folder, tmp_path / "data")
    gone = paths[2]
    gone_id = next(r.id for r in before.reports if r.path == str(gone))
    gone.unlink()
    summary, after = run_refresh(folder, tmp_path / "data")
    assert summary.removed == [str(gone)] and summary.extracted == 0
    nodes, edges = signature(before)
    expected_nodes = {(t, n, tuple(r for r in reps if r != gone_id)) for t, n, reps in nodes}
    expected_edges = {(s, t, d, tuple(r for r in reps if r != gone_id)) for s, t, d, reps in edges}
    # Facts a report states: exactly those with a report left, each one report fewer.
    stated_after = [{x for x in facts if x[-1]} for facts in signature(after)]
    assert stated_after[0] == {x for x in expected_nodes if x[-1]}
    assert stated_after[1] == {x for x in expected_edges if x[-1]}
    # Facts from reference data alone carry no report: none appears that was not there.
    for facts_after, facts_before in zip(signature(after), (nodes, edges)):
        assert {x for x in facts_after if not x[-1]} <= {x for x in facts_before if not x[-1]}
    shared = [n for n in after.nodes if n.name in (f"{CITIES[0]}工商联", person(0))]
    assert len(shared) == 2 and all(len(n.reports) == 1 and gone_id not in n.reports for n in shared)
    only_gone = {n.name for n in before.nodes if n.reports == [gone_id]}
    assert {f"{CITIES[0]}{TRADES[1]}商会", person(11)} <= only_gone
    assert not only_gone & {n.name for n in after.nodes}
    _, fresh = run_refresh(folder, tmp_path / "fresh")
    assert after == fresh


def test_full_extracts_everything_again_and_changes_nothing(reports, tmp_path):
    _, graph = run_refresh(reports, tmp_path / "data")
    summary, again = run_refresh(reports, tmp_path / "data", full=True)
    assert summary.extracted == 12 and again == graph


def test_jobs_2_gives_the_same_graph_as_jobs_1(tmp_path):
    folder = tmp_path / "reports"
    write_reports(folder, range(40))
    one, two = tmp_path / "one", tmp_path / "two"
    assert cli(folder, "--data-dir", one, "--jobs", "1", "--store", "embedded").exit_code == 0
    assert cli(folder, "--data-dir", two, "--jobs", "2", "--store", "embedded").exit_code == 0
    with EmbeddedStore(one / "store") as a, EmbeddedStore(two / "store") as b:
        assert a.read() == b.read()
        assert len(a.read().reports) == 40


def test_a_report_in_two_files_is_one_report(tmp_path):
    folder = tmp_path / "reports"
    write_reports(folder, [2])
    (folder / "copy.txt").write_text(report_text(2), "utf-8")
    summary, graph = run_refresh(folder, tmp_path / "data")
    assert len(summary.new) == 2 and len(graph.reports) == 1


# ---------------------------------------------------------------- failures and damage

def test_unreadable_reports_are_listed_and_the_others_go_on(reports, tmp_path):
    (reports / "empty.txt").write_text("", "utf-8")
    (reports / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = cli(reports, "--data-dir", tmp_path / "data", "--jobs", "1")
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if "failed:" in line]
    assert len(failed) == 2
    assert any("empty.txt" in line for line in failed) and any("picture.txt" in line for line in failed)
    assert "Traceback" not in result.output
    with EmbeddedStore(tmp_path / "data" / "store") as store:
        assert len(store.read().reports) == 12


def test_a_report_past_the_size_cap_is_refused_by_name_and_the_others_go_on(reports, tmp_path, monkeypatch):
    monkeypatch.setattr(read_module, "MAX_REPORT_BYTES", 4096)  # the real cap is 16 MB
    assert all(path.stat().st_size < 4096 for path in reports.iterdir())
    (reports / "huge.txt").write_text(report_text(50) * 40, "utf-8")
    result = cli(reports, "--data-dir", tmp_path / "data", "--jobs", "1")
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if "failed:" in line]
    assert len(failed) == 1 and "huge.txt" in failed[0] and "too large" in failed[0]
    with EmbeddedStore(tmp_path / "data" / "store") as store:
        assert len(store.read().reports) == 12


def test_when_every_report_fails_the_store_keeps_its_graph(reports, tmp_path):
    data = tmp_path / "data"
    _, graph = run_refresh(reports, data)
    for path in reports.iterdir():
        path.write_bytes(b"%PDF-1.4 not a report")
    summary, kept = run_refresh(reports, data)
    assert len(summary.failed) == 12 and not summary.ok
    assert any("keeps the graph" in m for m in summary.messages)
    assert kept == graph


def test_a_file_name_with_control_characters_cannot_drive_the_terminal(tmp_path):
    folder = tmp_path / "reports"
    write_reports(folder, [0])
    (folder / "bad\x1b[2J\u202e.txt").write_bytes(b"%PDF-1.4 not a report")
    result = cli(folder, "--data-dir", tmp_path / "data", "--jobs", "1")
    assert result.exit_code == 1  # the bad file failed, the good one went through
    assert "bad\\x1b[2J\\u202e.txt" in result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    missing = cli(folder / "gone\x07.txt", "--data-dir", tmp_path / "data")
    assert missing.exit_code == 1 and "gone\\x07.txt" in missing.output and "\x07" not in missing.output


def test_json_summary(reports, tmp_path):
    result = cli(reports, "--data-dir", tmp_path / "data", "--json", "--jobs", "1")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert len(data["new"]) == 12 and data["failed"] == [] and data["nodes"]["Chamber"] >= 1


def test_a_damaged_or_deleted_cache_file_is_rebuilt_with_a_message(reports, tmp_path):
    data = tmp_path / "data"
    _, graph = run_refresh(reports, data)
    caches = sorted((data / "cache").glob("*.json"))
    caches[0].write_text("{broken", "utf-8")
    caches[1].unlink()
    summary, again = run_refresh(reports, data)
    assert summary.extracted == 2
    assert any("damaged" in m and caches[0].name in m for m in summary.messages)
    assert caches[0].exists() and caches[1].exists()
    assert again == graph


def test_documents_cached_by_another_extractor_are_extracted_again(reports, tmp_path):
    data = tmp_path / "data"
    _, graph = run_refresh(reports, data)
    manifest = json.loads((data / "manifest.json").read_text("utf-8"))
    manifest["extractor"] = "an-older-one"
    (data / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    summary, again = run_refresh(reports, data)
    assert summary.extracted == 12 and any("extractor changed" in m for m in summary.messages)
    assert again == graph
    # One cache file from another extractor (same size and mtime, so the manifest cannot tell):
    # caught when it is loaded.
    entry = json.loads((data / "manifest.json").read_text("utf-8"))["reports"][str(reports / "r0001.txt")]
    cache = data / "cache" / f"{entry['id']}.json"
    stat = cache.stat()
    cached = json.loads(cache.read_text("utf-8"))
    cached["extractor"] = "0" * len(cached["extractor"])
    cache.write_text(json.dumps(cached, ensure_ascii=False), "utf-8")
    os.utime(cache, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert cache.stat().st_size == stat.st_size
    (reports / "r0000.txt").write_text(report_text(0) + "\n会议号召商会会员积极参与。\n", "utf-8")
    # An incremental refresh never loads an unchanged report's document (its rows are in the
    # contribution index); a refresh that resolves everything does, and notices.
    (data / "contrib.sqlite").unlink()
    summary, _ = run_refresh(reports, data)
    assert any("another version of the extractor" in m for m in summary.messages)
    assert summary.extracted == 2


def test_a_damaged_manifest_means_reading_again(reports, tmp_path):
    data = tmp_path / "data"
    _, graph = run_refresh(reports, data)
    (data / "manifest.json").write_text("[]", "utf-8")
    summary, again = run_refresh(reports, data)
    assert any("manifest" in m for m in summary.messages)
    assert summary.extracted == 0 and again == graph  # the cache still answers


def test_a_deleted_store_folder_is_rebuilt_with_a_message(reports, tmp_path):
    data = tmp_path / "data"
    _, graph = run_refresh(reports, data)
    import shutil
    shutil.rmtree(data / "store")
    summary, again = run_refresh(reports, data)
    assert any("rebuilding" in m for m in summary.messages)
    assert again == graph


def test_a_damaged_store_is_rebuilt_with_a_message(reports, tmp_path):
    data = tmp_path / "data"
    _, graph = run_refresh(reports, data)
    with EmbeddedStore(data / "store") as store:
        live = store.current_dir()
    (live / "graph.kz").write_bytes(b"\0garbage" * 64)
    summary, again = run_refresh(reports, data)
    assert any("damaged" in m for m in summary.messages)
    assert again == graph


def test_a_missing_reports_folder_is_a_clear_error(tmp_path):
    result = cli("--data-dir", tmp_path / "data", env={"UFGRAPH_REPORTS": str(tmp_path / "nowhere")})
    assert result.exit_code == 1 and "nowhere" in result.output and "Traceback" not in result.output
    result = cli(tmp_path / "missing-folder", "--data-dir", tmp_path / "data")
    assert result.exit_code == 1 and "missing-folder" in result.output


# ---------------------------------------------------------------- configuration

def test_reports_and_data_folder_from_the_environment(reports, tmp_path):
    data = tmp_path / "env-data"
    result = cli(env={"UFGRAPH_REPORTS": str(reports), "UFGRAPH_DATA_DIR": str(data), "NEO4J_URI": ""})
    assert result.exit_code == 0, result.output
    assert "12 new" in result.output and (data / "store" / "CURRENT").exists()


def test_default_data_folder_follows_xdg(tmp_path):
    assert config.default_data_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "ufgraph"
    assert config.data_dir(None, {"UFGRAPH_DATA_DIR": str(tmp_path / "x")}) == tmp_path / "x"
    assert config.default_data_dir({}).parts[-3:] == (".local", "share", "ufgraph")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="file"):
        config.data_dir(tmp_path / "file")


def test_store_choice():
    assert config.store_choice(None, "bolt://localhost:7687") == "neo4j"
    assert config.store_choice(None, None) == "embedded"
    assert config.store_choice("embedded", "bolt://localhost:7687") == "embedded"
    with pytest.raises(ConfigError):
        config.store_choice("sqlite", None)


def test_overrides_files_are_honoured_on_every_refresh(tmp_path):
    folder = tmp_path / "reports"
    write_reports(folder, [5, 69])  # two meetings in the same city: one federation chair
    chair = person(5 % 8)
    data = tmp_path / "data"
    _, graph = run_refresh(folder, data)
    assert len([n for n in graph.nodes if n.type == "Person" and n.name == chair]) == 1
    r5, r69 = (next(r.id for r in graph.reports if r.path.endswith(name)) for name in ("r0005.txt", "r0069.txt"))
    # <data-dir>/overrides.json, refs by file name and by report id
    (data / "overrides.json").write_text(json.dumps({"not_same": [
        [{"name": chair, "report": "r0005.txt"}, {"name": chair, "report": r69}]]}), "utf-8")
    summary, split = run_refresh(folder, data)
    assert summary.extracted == 0
    assert len([n for n in split.nodes if n.type == "Person" and n.name == chair]) == 2
    # the reports folder's ufgraph-overrides.json does the same
    (data / "overrides.json").unlink()
    (folder / "ufgraph-overrides.json").write_text(json.dumps({"not_same": [
        [{"name": chair, "report": r5}, {"name": chair, "report": "r0069.txt"}]]}), "utf-8")
    _, split_again = run_refresh(folder, data)
    assert split_again == split
    (folder / "ufgraph-overrides.json").write_text("{oops", "utf-8")
    result = cli(folder, "--data-dir", data, "--jobs", "1")
    assert result.exit_code == 1 and "ufgraph-overrides.json" in result.output


# ---------------------------------------------------------------- concurrency and crashes

def _spawn(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ufgraph", "refresh", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NEO4J_URI": ""})


def test_a_second_refresh_stops_clearly_or_waits_for_the_lock(reports, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with data_lock(data):
        result = cli(reports, "--data-dir", data, "--jobs", "1")
        assert result.exit_code == 1
        assert "another refresh" in result.output and str(os.getpid()) in result.output
        with pytest.raises(StoreLockedError):
            run_refresh(reports, data, wait=0.3)
    holder = threading.Thread(target=_hold_lock, args=(data, 1.0))
    holder.start()
    time.sleep(0.2)
    started = time.monotonic()
    summary, graph = run_refresh(reports, data, wait=30)
    holder.join()
    assert time.monotonic() - started >= 0.5 and summary.ok and len(graph.reports) == 12


def _hold_lock(data: Path, seconds: float) -> None:
    with data_lock(data):
        time.sleep(seconds)


def test_two_refresh_processes_at_once(tmp_path):
    folder = tmp_path / "reports"
    write_reports(folder, range(600))
    data = tmp_path / "data"
    first = _spawn(folder, "--data-dir", data, "--jobs", "1")
    lock = data / ".lock"
    deadline = time.monotonic() + 30
    while not (lock.exists() and lock.read_text().split()[:1] == [str(first.pid)]):
        assert time.monotonic() < deadline, "the first refresh never took the lock"
        time.sleep(0.02)
    stopped = _spawn(folder, "--data-dir", data, "--jobs", "1")
    waiting = _spawn(folder, "--data-dir", data, "--jobs", "1", "--wait", "120")
    out, err = stopped.communicate(timeout=60)
    assert stopped.returncode == 1 and "another refresh" in err and "Traceback" not in err
    assert first.wait(timeout=120) == 0
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "600 unchanged" in out
    with EmbeddedStore(data / "store") as store:
        assert len(store.read().reports) == 600


def _live_db(store_dir: Path) -> str:
    try:
        return (store_dir / "CURRENT").read_text()
    except FileNotFoundError:
        return ""


def _building(store_dir: Path) -> bool:
    """A database folder other than the live one exists: a store write is under way."""
    live = _live_db(store_dir)
    return any(p.name.startswith("db-") and p.name != live for p in store_dir.iterdir())


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def _kill_when(proc: subprocess.Popen, moment, timeout: float = 120) -> bool:
    """SIGKILL `proc` as soon as `moment()` holds, and check its workers die with it.
    False when the run ended first."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if moment():
            workers = _children(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            end = time.monotonic() + 10
            while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < end:
                time.sleep(0.05)
            assert not any(Path(f"/proc/{w}").exists() for w in workers), "workers outlived the refresh"
            return True
        time.sleep(0.001)
    proc.wait()
    return False


def _refresh_first(folder: Path, data: Path, count: int, aside: Path) -> None:
    """Refresh `data` from the first `count` reports of `folder` only, then put the rest back."""
    aside.mkdir(exist_ok=True)
    later = sorted(folder.iterdir())[count:]
    for path in later:
        path.rename(aside / path.name)
    run_refresh(folder, data)
    for path in later:
        (aside / path.name).rename(path)


def _extraction_started(cache: Path, since: float) -> bool:
    return any(p.stat().st_mtime >= since for p in cache.glob("*.json"))


def test_sigkill_during_refresh_leaves_the_previous_graph_whole(tmp_path):
    folder = tmp_path / "reports"
    write_reports(folder, range(150))
    data, store_dir = tmp_path / "data", tmp_path / "data" / "store"
    _, previous = run_refresh(folder, data)
    write_reports(folder, range(150, 500))
    _, wanted = run_refresh(folder, tmp_path / "reference")
    started = {}
    moments = [
        # The first cache file rewritten: extraction (of 500 reports, --full) is under way.
        ("extracting", "2", lambda: _extraction_started(data / "cache", started["wall"])),
        ("writing the store", "1", lambda: _building(store_dir)),
        ("just after the switch", "1", lambda: _live_db(store_dir) != started["live"]),
    ]
    seen = {}
    for name, jobs, moment in moments:
        started.update(t=time.monotonic(), wall=time.time(), live=_live_db(store_dir))
        proc = _spawn(folder, "--data-dir", data, "--jobs", jobs, "--full")
        killed = _kill_when(proc, moment)
        with EmbeddedStore(store_dir) as store:
            got = store.read()
        assert got == previous or got == wanted, (
            f"a torn graph after SIGKILL while {name} (killed: {killed}, {len(got.nodes)} nodes, "
            f"store: {sorted(p.name for p in store_dir.iterdir())}, output: {proc.stdout.read()} {proc.stderr.read()})")
        seen[name] = ("killed, " if killed else "finished, ") + ("previous" if got == previous else "new")
        if got == wanted:  # start the next kill from the previous graph again
            _refresh_first(folder, data, 150, tmp_path / "aside")
            assert EmbeddedStore(store_dir).read() == previous
    print("after SIGKILL:", seen)
    assert seen["extracting"] == "killed, previous"
    assert seen["writing the store"].startswith("killed")
    summary, final = run_refresh(folder, data)
    assert summary.ok and final == wanted


# ---------------------------------------------------------------- the seed reports

@pytest.mark.seeds
def test_refresh_on_the_seed_reports(seeds_dir, tmp_path):
    first, graph = run_refresh(seeds_dir, tmp_path / "data", jobs=2)
    assert first.ok and len(graph.reports) == len(first.new) >= 5
    assert first.nodes.get("Person", 0) > 0 and first.edges.get("HOLDS_POST", 0) > 0
    second, again = run_refresh(seeds_dir, tmp_path / "data", jobs=2)
    assert second.extracted == 0 and again == graph


# ---------------------------------------------------------------- the Neo4j store

@pytest.mark.neo4j
def test_refresh_into_neo4j_holds_the_graph_the_embedded_store_holds(reports, tmp_path, neo4j_server, neo4j_driver):
    env = {"NEO4J_URI": neo4j_server.uri, "NEO4J_USERNAME": neo4j_server.user,
           "NEO4J_PASSWORD": neo4j_server.password, "NEO4J_DATABASE": neo4j_server.database or ""}
    result = cli(reports, "--data-dir", tmp_path / "neo", "--jobs", "1", env=env)
    assert result.exit_code == 0, result.output
    assert "neo4j store" in result.output and neo4j_server.password not in result.output
    _, embedded = run_refresh(reports, tmp_path / "embedded")
    from ufgraph.graph.neo4j_store import Neo4jStore
    assert as_sets(Neo4jStore(neo4j_driver, neo4j_server.database).read(), node_props=False) == as_sets(embedded, node_props=False)
    again = cli(reports, "--data-dir", tmp_path / "neo", "--jobs", "1", "--json", env=env)
    assert json.loads(again.output)["extracted"] == 0
    assert as_sets(Neo4jStore(neo4j_driver, neo4j_server.database).read(), node_props=False) == as_sets(embedded, node_props=False)
