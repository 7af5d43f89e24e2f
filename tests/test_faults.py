"""Faults around `ufgraph refresh`: Neo4j unreachable, refusing or stopped in the middle of a
write; the refresh killed with SIGKILL at random moments; the cache or the embedded store
damaged or deleted; the disk full. Each must end in one clear message (no traceback) and a
store that holds a whole graph: the previous one, or the new one once a refresh completes.

Reports are the synthetic corpus of benchmarks/corpus.py (invented bodies and people).
"""
from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest

from document_sets import as_sets
from neo4j_server import (SERVER_DIR, START_TIMEOUT, ServerHandle, _free_port, _wait_until_ready,
                          start_test_server)
from test_hostile_pipeline import (STORES, empty_neo4j, read_store, run_refresh_process, store_env,
                                   ufgraph_command)

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

SEED = 11
KILLS = 5


def write_reports(folder: Path, start: int, count: int) -> Path:
    """Reports start..start+count-1 of the synthetic corpus, in `folder`."""
    corpus.write_corpus(folder, count, SEED, start=start)
    shutil.rmtree(folder / "gold")
    return folder / "reports"


def error_lines(process) -> list[str]:
    return [line for line in process.stderr.splitlines() if line.strip()]


def assert_one_clear_error(process, *words: str) -> None:
    """Exit 1, no traceback anywhere, and the error is one line naming what went wrong."""
    assert process.returncode == 1, process.stdout + process.stderr
    assert "Traceback" not in process.stdout + process.stderr
    lines = error_lines(process)
    assert len(lines) == 1 and lines[0].startswith("Error: "), "\n".join(lines)
    for word in words:
        assert word in lines[0], lines[0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


# ---------------------------------------------------------------- Neo4j unreachable or refusing

@pytest.fixture(scope="module")
def small_reports(tmp_path_factory) -> Path:
    return write_reports(tmp_path_factory.mktemp("small"), 0, 8)


@pytest.mark.neo4j
@pytest.mark.parametrize("fault", ["closed port", "wrong password"])
def test_unreachable_or_refusing_neo4j_is_one_line_and_the_graph_stays(fault, neo4j_server, small_reports,
                                                                        tmp_path):
    empty_neo4j(neo4j_server)
    data = tmp_path / "data"
    assert run_refresh_process([small_reports], data, "neo4j", neo4j_server).returncode == 0
    before = as_sets(read_store("neo4j", data, neo4j_server))
    manifest = (data / "manifest.json").read_bytes()
    env = store_env("neo4j", neo4j_server)
    if fault == "closed port":
        env["NEO4J_URI"] = f"bolt://127.0.0.1:{closed_port()}"
        words = ("cannot use Neo4j at", env["NEO4J_URI"])
    else:
        env["NEO4J_PASSWORD"] = "Not-The-Password-5150"
        words = ("authentication failed", neo4j_server.uri)
    process = subprocess.run(ufgraph_command("refresh", small_reports, "--data-dir", data, "--store", "neo4j",
                                             "--full"), capture_output=True, text=True, env=env)
    assert_one_clear_error(process, *words)
    assert as_sets(read_store("neo4j", data, neo4j_server)) == before
    assert (data / "manifest.json").read_bytes() == manifest


# ---------------------------------------------------------------- Neo4j stopped in the middle of a write

def _wait_for_write(handle, refresh: subprocess.Popen, timeout: float = 300) -> bool:
    """Poll the server until a transaction of the refresh writes rows; False if the refresh ended first."""
    # The marker is a parameter: written into the text, this query would find itself.
    query = "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $marker RETURN count(*) AS writing"
    deadline = time.monotonic() + timeout
    with neo4j.GraphDatabase.driver(handle.uri, auth=(handle.user, handle.password)) as driver:
        while refresh.poll() is None and time.monotonic() < deadline:
            # Every batch the store writes unwinds its rows (a list or a range over columns).
            records, _, _ = driver.execute_query(query, marker="UNWIND ", database_="system")
            if records[0]["writing"]:
                return True
            time.sleep(0.01)
    return False


def _restart(handle) -> ServerHandle:
    """Start the server again on the data folder of `handle`, on a new port (the old one may linger)
    and with the same password, which the launcher finds already set."""
    rundir, port, password = handle.log_path.parent, _free_port(), handle.password
    log_path = rundir / "restart.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(SERVER_DIR / "start.sh"), str(rundir / "data"), str(port), "--watch-stdin"],
                                   stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "NEO4J_TEST_PASSWORD": password})
    again = ServerHandle(f"bolt://127.0.0.1:{port}", handle.user, password, handle.database, process, log_path)
    try:
        _wait_until_ready(again, START_TIMEOUT)
    except Exception:
        again.stop()
        raise
    return again


@pytest.mark.neo4j
def test_neo4j_stopped_during_the_write_keeps_the_previous_graph_and_the_next_refresh_completes(
        neo4j_server, tmp_path):
    handle = start_test_server(tmp_path / "own-server")  # a server of our own: this one gets killed
    try:
        reports = write_reports(tmp_path / "corpus", 0, 300)
        first = sorted(reports.iterdir())[:20]
        data = tmp_path / "data"
        assert run_refresh_process(first, data, "neo4j", handle).returncode == 0
        before = as_sets(read_store("neo4j", data, handle))
        refresh = subprocess.Popen(ufgraph_command("refresh", reports, "--data-dir", data, "--store", "neo4j"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=store_env("neo4j", handle))
        caught = _wait_for_write(handle, refresh)
        handle.process.kill()  # SIGKILL: no shutdown hook, no clean close
        handle.process.wait()
        out, err = refresh.communicate(timeout=120)
        assert caught, f"the refresh ended before its write could be interrupted: {out} {err}"
        process = subprocess.CompletedProcess(refresh.args, refresh.returncode, out, err)
        assert_one_clear_error(process, "Neo4j could not replace the graph")
        handle = _restart(handle)
        assert as_sets(read_store("neo4j", data, handle)) == before  # one transaction: nothing of it stayed
        again = run_refresh_process([reports], data, "neo4j", handle)
        assert again.returncode == 0, again.stdout + again.stderr
        embedded = run_refresh_process([reports], data, "embedded")  # the same reports, from the cache
        assert embedded.returncode == 0 and '"extracted": 0' not in embedded.stdout
        assert as_sets(read_store("neo4j", data, handle)) == as_sets(read_store("embedded", data))
    finally:
        handle.stop()


# ---------------------------------------------------------------- SIGKILL at random moments

def _timed_refresh(roots, data: Path, kind: str, server) -> float:
    started = time.monotonic()
    process = run_refresh_process(roots, data, kind, server)
    assert process.returncode == 0, process.stdout + process.stderr
    return time.monotonic() - started


@pytest.mark.parametrize("kind", STORES)
def test_refresh_killed_at_random_moments_leaves_the_old_graph_or_the_new_one(kind, request, tmp_path):
    server = request.getfixturevalue("neo4j_server") if kind == "neo4j" else None
    if server:
        empty_neo4j(server)
    old_roots = [write_reports(tmp_path / "old", 0, 40)]
    new_roots = [*old_roots, write_reports(tmp_path / "added", 40, 80)]
    data = tmp_path / "data"
    _timed_refresh(old_roots, data, kind, server)
    old = as_sets(read_store(kind, data, server))
    took = _timed_refresh(new_roots, data, kind, server)
    new = as_sets(read_store(kind, data, server))
    assert old != new
    rng = random.Random(f"sigkill:{kind}")
    moments = sorted(rng.uniform(0.1, took * 1.1) for _ in range(KILLS))
    if server:
        moments.append("writing")  # and once surely inside the transaction (the embedded one: test_refresh)
    seen = []
    for moment in moments:
        _timed_refresh(old_roots, data, kind, server)  # every kill starts from the old graph
        assert as_sets(read_store(kind, data, server)) == old
        args = ufgraph_command("refresh", *new_roots, "--data-dir", data, "--store", kind, "--jobs", 2)
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=store_env(kind, server))
        if moment == "writing":
            assert _wait_for_write(server, proc), "the refresh ended before its write was seen"
        else:
            time.sleep(moment)
        killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        got = as_sets(read_store(kind, data, server))
        assert got in (old, new), f"a torn graph after SIGKILL at {moment} (a refresh takes {took:.2f} s)"
        seen.append((moment if moment == "writing" else round(moment, 2), "killed" if killed else "finished",
                     "old" if got == old else "new"))
    print(f"{kind} store after SIGKILL (delay, run, graph):", seen)
    _timed_refresh(new_roots, data, kind, server)
    assert as_sets(read_store(kind, data, server)) == new


# ---------------------------------------------------------------- damaged or deleted cache and store

def _damage_cache_bytes(data: Path, victim: str) -> str:
    """Garbage of the same size and mtime in a cache file: only loading it can tell."""
    cache = data / "cache" / f"{victim}.json"
    stat = cache.stat()
    cache.write_bytes(random.Random(1).randbytes(stat.st_size))
    os.utime(cache, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    # An incremental refresh reads no unchanged report's document (the contribution index holds
    # its rows); without the index, the refresh resolves everything and loads them all.
    (data / "contrib.sqlite").unlink()
    return f"{cache}: cache file damaged"


def _garbage_index(data: Path, victim: str) -> str:
    index = data / "contrib.sqlite"
    index.write_bytes(random.Random(2).randbytes(index.stat().st_size))
    for extra in ("contrib.sqlite-wal", "contrib.sqlite-shm"):
        (data / extra).unlink(missing_ok=True)
    return f"{index}: the contribution index is damaged"


def _delete_cache_folder(data: Path, victim: str) -> str:
    shutil.rmtree(data / "cache")
    return f"{data / 'cache' / victim}.json: cache file missing"


def _live_database(data: Path) -> Path:
    store = data / "store"
    return store / (store / "CURRENT").read_text("utf-8").strip() / "graph.kz"


def _truncate_database(data: Path, victim: str = "") -> str:
    live = _live_database(data)
    with open(live, "r+b") as handle:
        handle.truncate(live.stat().st_size // 3)
    return f"{live.parent}: the database is damaged"


def _garbage_pointer(data: Path, victim: str) -> str:
    (data / "store" / "CURRENT").write_bytes(b"\xff\xfe../../etc\x00")
    return f"{data / 'store' / 'CURRENT'}: unreadable"


DAMAGE = {"garbage bytes in a cache file": _damage_cache_bytes, "cache folder deleted": _delete_cache_folder,
          "database file truncated": _truncate_database, "store pointer garbage": _garbage_pointer,
          "contribution index garbage": _garbage_index}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_or_store_is_detected_and_rebuilt_from_the_reports(damage, tmp_path):
    reports = write_reports(tmp_path / "corpus", 0, 12)
    data = tmp_path / "data"
    assert run_refresh_process([reports], data, "embedded").returncode == 0
    graph = as_sets(read_store("embedded", data))
    changed, victim = sorted(reports.iterdir())[:2]
    manifest = json.loads((data / "manifest.json").read_text("utf-8"))
    message = DAMAGE[damage](data, manifest["reports"][str(victim)]["id"])
    # Another report edited, so the graph is written again.
    text = changed.read_text("utf-8")
    changed.write_text(text + "\n会议号召会员企业积极参与。\n", "utf-8")
    process = run_refresh_process([reports], data, "embedded")
    assert process.returncode == 0 and "Traceback" not in process.stdout + process.stderr, process.stderr
    assert message in process.stdout, process.stdout
    changed.write_text(text, "utf-8")
    assert run_refresh_process([reports], data, "embedded").returncode == 0
    assert as_sets(read_store("embedded", data)) == graph


def test_reading_a_damaged_store_is_a_clear_error(tmp_path):
    reports = write_reports(tmp_path / "corpus", 0, 4)
    data = tmp_path / "data"
    assert run_refresh_process([reports], data, "embedded").returncode == 0
    _truncate_database(data)
    for command in (["stats"], ["query", "search", "-p", "text=商会"], ["export", "--format", "jsonl", "-o", "-"]):
        process = subprocess.run(ufgraph_command(*command, "--data-dir", data, "--store", "embedded"),
                                 capture_output=True, text=True, env=store_env("embedded"))
        assert_one_clear_error(process, "damaged", str(data / "store"))


# ---------------------------------------------------------------- the disk full

def _limited_refresh(roots, data: Path, max_file_bytes: int) -> subprocess.CompletedProcess:
    """A refresh that may write no file larger than `max_file_bytes` (writes beyond fail with EFBIG)."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))
    args = ufgraph_command("refresh", *roots, "--data-dir", data, "--store", "embedded", "--jobs", 2)
    return subprocess.run(args, capture_output=True, text=True, env=store_env("embedded"), preexec_fn=limit,
                          timeout=300)


@pytest.mark.parametrize("max_file_bytes, words", [
    (1_500_000, ("writing the graph failed",)),  # room for the cache, not for the new database
    (2_000, ("cannot write", "File too large")),  # not even for the cache
], ids=["database", "cache"])
def test_disk_full_is_a_clear_error_and_the_old_graph_stays(max_file_bytes, words, tmp_path):
    old_roots = [write_reports(tmp_path / "old", 0, 6)]
    new_roots = [*old_roots, write_reports(tmp_path / "added", 6, 30)]
    data = tmp_path / "data"
    assert run_refresh_process(old_roots, data, "embedded").returncode == 0
    old = as_sets(read_store("embedded", data))
    live = _live_database(data)
    assert live.stat().st_size > max_file_bytes  # the new database cannot be written whole
    manifest = json.loads((data / "manifest.json").read_text("utf-8"))
    process = _limited_refresh(new_roots, data, max_file_bytes)
    assert_one_clear_error(process, *words)
    assert as_sets(read_store("embedded", data)) == old
    assert _live_database(data) == live
    assert [p.name for p in (data / "store").iterdir() if p.name.startswith("db-")] == [live.parent.name]
    assert json.loads((data / "manifest.json").read_text("utf-8")) == manifest
    assert not [p for p in (data / "cache").iterdir() if p.name.startswith(".")]  # no half-written files
    assert run_refresh_process(new_roots, data, "embedded").returncode == 0  # with room again, it completes
    assert as_sets(read_store("embedded", data)) != old
