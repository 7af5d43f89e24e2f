"""`ufgraph refresh`: bring the store in line with a folder of reports.

    summary = refresh(["reports/"], EmbeddedStore(data / "store"), data)

Only new or changed reports are extracted; each report's document is cached
in <data-dir>/cache/<content id>.json, and <data-dir>/manifest.json maps each
report path to its content id (with size and mtime, so an untouched file is
not even read). A fact that only a removed or changed report supported
disappears, and a shared one keeps its other reports. The graph is written in
one of two ways:

- incrementally, when few reports changed and the store can change in place
  (store.apply): <data-dir>/contrib.sqlite (graph/contrib.py) holds every
  report's rows, graph/incremental.py resolves only the names and
  organisations the changed reports touch, and the store applies the
  difference. The index and the store carry the same stamp, so a delta is
  only applied to the graph it was computed from;
- in full otherwise (first refresh, a large change, overrides, a new
  extractor, a store or index that does not match): every cached document is
  resolved again and written with store.replace(), and the index rebuilt.
 One refresh at a time per data folder (flock on
<data-dir>/.lock); the store write is all-or-nothing, and the manifest is
written after it, so a crash at any point costs at most some repeated work.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .. import __version__
from ..errors import (ConfigError, NotLocal, ReportReadError, StaleStoreError, StoreBusyError, StoreDamagedError,
                      StoreError, StoreLockedError, UfgraphError)
from . import config
from .contrib import FILE as CONTRIB_FILE
from .contrib import ContribIndex
from .fold import fold_due, start_fold
from .forked import die_with, run_forked
from .incremental import change_of
from .locks import let_go_of_in_children
from .model import GraphDocument
from .resolve import Overrides, resolve
from .store import GraphStore

Progress = Callable[[int, int], None]  # (reports done, reports to do)
CACHE_FORMAT = 1
# An incremental write is worth it while the change is small; past this share of the reports
# (or this many), resolving everything and rebuilding the store is as quick.
INCREMENTAL_SHARE = 0.1
INCREMENTAL_MIN = 50
MANIFEST = "manifest.json"


@dataclass
class RefreshSummary:
    """What a refresh did: report paths by fate, failures, and the graph written."""

    store: str = ""
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    extracted: int = 0
    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict:
        out = asdict(self)
        out["failed"] = [{"path": p, "reason": r} for p, r in self.failed]
        return out

    def format_text(self) -> str:
        lines = [f"ufgraph refresh: {self.store}"]
        lines += [f"  note: {m}" for m in self.messages]
        lines.append(f"  reports: {len(self.new)} new, {len(self.changed)} changed, "
                     f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
                     f"{len(self.failed)} failed ({self.extracted} extracted)")
        lines.append(f"  nodes: {sum(self.nodes.values())} ({_counts(self.nodes)})")
        lines.append(f"  edges: {sum(self.edges.values())} ({_counts(self.edges)})")
        lines += [f"  failed: {path}: {reason}" for path, reason in self.failed]
        return "\n".join(lines)


def _counts(by_type: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in by_type.items()) or "none"


# ---------------------------------------------------------------- locking

@contextmanager
def data_lock(data_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold <data-dir>/.lock; wait up to `wait` seconds for another refresh, then give up."""
    path = Path(data_dir) / ".lock"
    with open(path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreLockedError(_locked_message(path, handle, wait)) from None
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            with let_go_of_in_children(handle):
                yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _locked_message(path: Path, handle, wait: float) -> str:
    handle.seek(0)
    words = handle.read().split()
    who = f" (process {words[0]})" if words and words[0].isdigit() else ""
    waited = f" (waited {wait:g} s)" if wait else ""
    return (f"{path.parent}: another refresh{who} is using this data folder{waited}. "
            "Try again later, or pass --wait SECONDS")


# ---------------------------------------------------------------- cache and manifest

@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A hash of what a cached document depends on: the loaders' code, the lexicons, the ontology
    and the record and name rules. When it changes, every cached document is stale."""
    package = Path(__file__).resolve().parents[1]
    return _digest([*package.glob("loaders/*.py"), *package.glob("data/lexicon/*"),
                    package / "data" / "ontology.json", package / "graph" / "names.py",
                    package / "graph" / "model.py"])


@lru_cache(maxsize=1)
def graph_version() -> str:
    """extractor_version() and the code that resolves and stores: what a written graph depends on."""
    graph = Path(__file__).resolve().parent
    return _digest([graph / name for name in ("resolve.py", "contrib.py", "store.py", "embedded.py",
                                              "kuzu_rows.py", "kuzu_tables.py", "kuzu_links.py", "kuzu_liaisons.py",
                                              "neo4j_store.py", "evidence_text.py")],
                   extractor_version())


def _digest(files: list[Path], seed: str = __version__) -> str:
    digest = hashlib.sha1(seed.encode("utf-8"))
    for path in sorted(files):
        if path.is_file():
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _write_json(path: Path, data) -> None:
    """Write via a temporary file; a full disk is a StoreError for the whole refresh (not one
    report's failure), and leaves no partial file behind."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"{path.parent}: cannot write {path.name}: {exc.strerror or exc}") from None


def _cache_file(cache_dir: Path, report_id: str) -> Path:
    return cache_dir / f"{report_id}.json"


def _cache_stat(cache_dir: Path, report_id: str) -> dict:
    # A string join, not _cache_file: a refresh stats every cache file, and at 10,000 reports
    # building the Path objects cost more than the stat calls.
    return _stat_entry(os.path.join(cache_dir, f"{report_id}.json"))


def load_cached(cache_dir: Path, report_id: str) -> GraphDocument:
    """The cached document of one report; raises UfgraphError when missing, stale or damaged."""
    path = _cache_file(cache_dir, report_id)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise UfgraphError(f"{path}: cache file missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UfgraphError(f"{path}: cache file damaged ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        raise UfgraphError(f"{path}: cache file damaged (not a cached document)")
    if data.get("extractor") != extractor_version():
        raise UfgraphError(f"{path}: cache file made by another version of the extractor")
    try:
        doc = GraphDocument.from_dict(_shared_strings(data["document"]))
    except (UfgraphError, KeyError, TypeError, AttributeError) as exc:
        raise UfgraphError(f"{path}: cache file damaged ({exc})") from None
    if [r.id for r in doc.reports] != [report_id]:
        raise UfgraphError(f"{path}: cache file holds another report")
    return doc


def _shared_strings(document: dict) -> dict:
    """One string object per distinct evidence value: a sentence is quoted by every node and edge
    it names, and the report id and date by every piece of evidence (a third of the memory)."""
    for item in (*document.get("nodes", ()), *document.get("edges", ())):
        for ev in item.get("evidence", ()):
            for key in ("report", "sentence", "rule", "date"):
                if isinstance(ev.get(key), str):
                    ev[key] = sys.intern(ev[key])
    return document


def _load_manifest(data_dir: Path, messages: list[str]) -> dict:
    """The last refresh's manifest: {"reports": {path: entry}, "graph": {...}}; {} when none."""
    path = Path(data_dir) / MANIFEST
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text("utf-8"))
        reports = manifest["reports"]
        if all(isinstance(v, dict) and isinstance(v.get("id"), str) for v in reports.values()):
            return manifest
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        pass
    messages.append(f"{path}: manifest damaged; every report is read again")
    return {}


# ---------------------------------------------------------------- one report (runs in workers)

@dataclass(frozen=True)
class _Outcome:
    path: str
    report_id: str = ""
    extracted: bool = False
    error: str = ""


def _work(task: tuple[str, str, bool]) -> _Outcome:
    """Read one report; extract it unless its content is cached already (or `full`)."""
    from ..loaders.pipeline import extract_source
    from ..loaders.read import read_report

    path, cache_dir, full = task
    try:
        src = read_report(path)
    except ReportReadError as exc:
        return _Outcome(path, error=exc.reason)
    cache = _cache_file(Path(cache_dir), src.id)
    if not full and cache.is_file():
        return _Outcome(path, src.id)
    try:
        doc = extract_source(src)
    except Exception as exc:  # one bad report must not stop the others; it is listed as failed
        return _Outcome(path, error=f"extraction failed: {type(exc).__name__}: {exc}")
    _write_json(cache, {"format": CACHE_FORMAT, "extractor": extractor_version(), "document": doc.to_dict()})
    return _Outcome(path, src.id, extracted=True)


def _worker_init(refresh_pid: int) -> None:
    """Worker initializer: the refresh alone answers Ctrl-C, and on Linux the kernel kills the
    worker when the refresh dies, so a refresh killed with SIGKILL leaves no workers behind."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with(refresh_pid)  # elsewhere than Linux: workers end when they find their task queue closed


def _run_all(tasks: list[tuple[str, str, bool]], jobs: int, progress: Progress | None) -> list[_Outcome]:
    if jobs < 2 or len(tasks) < 2:
        return _collect(map(_work, tasks), len(tasks), progress)
    workers = min(jobs, len(tasks))
    # Spawned, not forked: a forked worker would inherit the data folder's lock (and any
    # open database) and keep it after the refresh itself was killed.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init, initargs=(os.getpid(),))
    try:
        results = pool.map(_work, tasks, chunksize=max(1, min(16, len(tasks) // (workers * 4))))
        return _collect(results, len(tasks), progress)
    except BrokenProcessPool:
        raise UfgraphError("a worker process died while extracting; try again with --jobs 1") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # on Ctrl-C, drop the reports not started


def _collect(results, total: int, progress: Progress | None) -> list[_Outcome]:
    outcomes = []
    for outcome in results:
        outcomes.append(outcome)
        if progress:
            progress(len(outcomes), total)
    return outcomes


# ---------------------------------------------------------------- the refresh

def refresh(paths: Sequence[str | Path], store: GraphStore, data_dir: str | Path, full: bool = False,
            jobs: int | None = None, progress: Progress | None = None, wait: float = 0.0) -> RefreshSummary:
    """Extract new and changed reports under `paths`, resolve, and replace the store's graph."""
    data = Path(data_dir)
    try:
        (data / "cache").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{data}: cannot create the data folder: {exc.strerror}") from None
    with data_lock(data, wait):
        return _refresh_locked(_report_roots(paths, data), store, data, full, jobs or os.cpu_count() or 1, progress)


def _report_roots(paths: Sequence[str | Path], data: Path) -> list[str | Path]:
    if paths:
        return list(paths)
    default = config.reports_dir(data)
    if not default.is_dir():
        raise ConfigError(f"{default}: no reports folder; give report paths, or set UFGRAPH_REPORTS")
    return [default]


def _refresh_locked(roots: list[str | Path], store: GraphStore, data: Path, full: bool, jobs: int,
                    progress: Progress | None) -> RefreshSummary:
    from ..loaders.read import report_files

    summary = RefreshSummary(store=_describe(store))
    summary.messages += list(getattr(store, "notices", []))
    cache_dir = data / "cache"
    manifest = _load_manifest(data, summary.messages)
    old = manifest.get("reports", {})
    if old and manifest.get("extractor") != extractor_version() and not full:
        summary.messages.append("the extractor changed since the last refresh; extracting every report again")
        full = True
    listing = report_files(roots)
    files = listing.files
    # before reading: a later edit shows next time
    stats = {path: _stat_entry(path, listing.stats.get(path)) for path in files}
    current = _classify(stats, old, cache_dir, full, jobs, progress, summary)
    if summary.failed and not current:
        # Every report failed: more likely a broken installation than a folder of bad files.
        summary.messages.append("no report could be read; the store keeps the graph it had")
        _sort_paths(files, old, current, summary)
        return summary
    graph_entry = _write_graph(current, config.overrides_paths(data, listing.folders), manifest.get("graph", {}),
                               store, data, full, summary)
    _sort_paths(files, old, current, summary)
    for entry in current.values():  # to notice when a cache file is damaged later
        if "cache" not in entry:  # written now; the others were checked unchanged by _classify
            entry["cache"] = _cache_stat(cache_dir, entry["id"])
    _write_json(data / MANIFEST, {"format": CACHE_FORMAT, "extractor": extractor_version(),
                                  "reports": current, "graph": graph_entry})
    _prune_cache(cache_dir, {entry["id"] for entry in current.values()})
    return summary


def _write_graph(current: dict[str, dict], override_files: list[Path], last: dict, store: GraphStore,
                 data: Path, full: bool, summary: RefreshSummary) -> dict:
    """Resolve and write the graph unless the store holds it already; the manifest's graph entry."""
    fingerprint = _fingerprint(store, current, override_files)
    if not full and last.get("fingerprint") == fingerprint and _store_holds(store, last, summary):
        # The same reports and overrides as the graph the store holds: nothing to write.
        summary.nodes, summary.edges = last["nodes"], last["edges"]
        return last
    index = _open_index(data, summary)
    try:
        if full or override_files or not _apply_change(current, last, store, data / "cache", index, summary):
            index = _resolve_and_write(current, data / "cache", override_files, store, index, summary)
        elif fold_due(store):  # the log of changes is getting long: fold it now, off this refresh's clock
            start_fold(data)
    finally:
        index.close()
    # Again: a report whose cached document could not be rebuilt has left `current`.
    return {"fingerprint": _fingerprint(store, current, override_files),
            "nodes": summary.nodes, "edges": summary.edges}


def _resolve_and_write(current: dict[str, dict], cache_dir: Path, override_files: list[Path],
                       store: GraphStore, index: ContribIndex, summary: RefreshSummary) -> ContribIndex:
    """Resolve every report, bring the index in line, and replace the store's graph.

    The index is written first; should the store write fail, the index's stamp names a graph
    the store does not hold, and the next refresh is a full one again. A store that stages on
    disk gets the resolution done in a child process, so that the documents and the resolved
    graph are out of memory before the store loads what was staged (graph/forked.py)."""
    stamp = _new_stamp()
    if not store.stages_on_disk:
        graph, index = _resolve_and_index(current, cache_dir, override_files, index, summary, stamp)
        store.replace(graph, stamp)
        return index
    index.close()
    staged, current_now, summary_now = run_forked(
        partial(_resolve_and_stage, current, cache_dir, override_files, store, index.path, summary, stamp),
        "resolving the graph")
    current.clear()
    current.update(current_now)  # reports whose cache was rebuilt, or that failed, changed here
    for f in fields(summary):
        setattr(summary, f.name, getattr(summary_now, f.name))
    index = ContribIndex(index.path)
    store.replace_staged(staged, stamp)
    return index


def _resolve_and_stage(current: dict[str, dict], cache_dir: Path, override_files: list[Path], store: GraphStore,
                       index_path: Path, summary: RefreshSummary, stamp: str):
    """In the child: resolve, write the index, stage the store's tables; what the parent needs."""
    graph, index = _resolve_and_index(current, cache_dir, override_files, ContribIndex(index_path), summary, stamp)
    index.close()
    return store.stage(graph, owner=os.getppid()), current, summary


def _resolve_and_index(current: dict[str, dict], cache_dir: Path, override_files: list[Path],
                       index: ContribIndex, summary: RefreshSummary, stamp: str) -> tuple[GraphDocument, ContribIndex]:
    docs = _documents(current, cache_dir, summary)
    overrides = Overrides.load(override_files)
    summary.messages += [f"override names no person: {r.name} in {r.report}" for r in overrides.unmatched(docs)]
    graph = resolve(docs, overrides)
    index = _sync_index(index, docs, stamp)
    docs.clear()
    summary.nodes = dict(sorted(Counter(n.type for n in graph.nodes).items()))
    summary.edges = dict(sorted(Counter(e.type for e in graph.edges).items()))
    return graph, index


def _new_stamp() -> str:
    return os.urandom(12).hex()


# ---------------------------------------------------------------- the incremental write

def _open_index(data: Path, summary: RefreshSummary) -> ContribIndex:
    for leftover in data.glob(f".{CONTRIB_FILE}.*.tmp"):  # of a rebuild killed half-way
        leftover.unlink(missing_ok=True)
    try:
        return ContribIndex(data / CONTRIB_FILE)
    except StoreError as exc:
        summary.messages.append(f"{exc}; rebuilding it")
        (data / CONTRIB_FILE).unlink(missing_ok=True)
        return ContribIndex(data / CONTRIB_FILE)


def _sync_index(index: ContribIndex, docs: list[GraphDocument], stamp: str) -> ContribIndex:
    """Make the index hold exactly `docs` and record the stamp of the graph written from them.
    A report's rows depend only on its content, so while the code that makes them is the same,
    only the reports that came or went are written; otherwise the index is built anew."""
    if index.meta("version") != graph_version():
        index.close()
        return ContribIndex.rebuild(index.path, docs, {"version": graph_version(), "stamp": stamp})
    index.begin()
    indexed = index.report_paths()
    wanted = {d.reports[0].id: d for d in docs}
    index.remove(set(indexed) - set(wanted))
    index.add(d for rid, d in wanted.items() if rid not in indexed)
    for rid in set(indexed) & set(wanted):
        if indexed[rid] != wanted[rid].reports[0].path:
            index.set_path(rid, wanted[rid].reports[0].path)
    index.set_meta("stamp", stamp)
    index.commit()
    return index


def _apply_change(current: dict[str, dict], last: dict, store: GraphStore, cache_dir: Path,
                  index: ContribIndex, summary: RefreshSummary) -> bool:
    """Write only what the new, changed and removed reports change; False when that cannot be
    done (no index of the graph the store holds, a large change, a store that cannot change
    in place), and the caller rebuilds."""
    before = index.meta("stamp")
    if not (before and index.meta("version") == graph_version() and "nodes" in last and "edges" in last):
        return False
    wanted = _first_paths(current)
    indexed = index.report_paths()
    removed, new = set(indexed) - set(wanted), sorted(set(wanted) - set(indexed))
    if len(removed) + len(new) > max(INCREMENTAL_MIN, INCREMENTAL_SHARE * len(wanted)):
        return False
    try:
        # No check of the store's stamp here: apply checks it where it writes, and raises
        # StaleStoreError (reading it here would open the database twice).
        added = _new_documents(new, wanted, current, cache_dir, summary)
        moved = {rid: path for rid, path in wanted.items() if rid in indexed and indexed[rid] != path}
        index.begin()
        change = change_of(index, removed, added, moved)
        after = _new_stamp()
        store.apply(change.delta, before=before, after=after)
    except (NotImplementedError, NotLocal, StaleStoreError, StoreBusyError):
        index.rollback()
        return False
    except StoreDamagedError as exc:  # a rebuild replaces the database
        index.rollback()
        summary.messages.append(f"{exc}; rebuilding the store")
        return False
    except BaseException:
        index.rollback()
        raise
    index.set_meta("stamp", after)
    index.commit()
    summary.nodes = _counts_after(last["nodes"], change.nodes)
    summary.edges = _counts_after(last["edges"], change.edges)
    return True


def _first_paths(current: dict[str, dict]) -> dict[str, str]:
    """Report id → the first path (sorted) with that content: the path its Report node carries."""
    out: dict[str, str] = {}
    for path in sorted(current):
        out.setdefault(current[path]["id"], path)
    return out


def _new_documents(new: list[str], wanted: dict[str, str], current: dict[str, dict], cache_dir: Path,
                   summary: RefreshSummary) -> list[GraphDocument]:
    docs = []
    for rid in new:
        doc = _cached_or_rebuilt(rid, wanted[rid], cache_dir, current, summary)
        if doc is None:
            continue
        doc.reports[0].path = wanted[rid]
        docs.append(doc)
    return docs


def _counts_after(last: dict[str, int], change: Counter) -> dict[str, int]:
    counts = Counter(last)
    counts.update(change)
    return {k: v for k, v in sorted(counts.items()) if v > 0}


def _fingerprint(store: GraphStore, current: dict[str, dict], override_files: list[Path]) -> str:
    """What the graph is made from: program version, store, report paths and ids, overrides."""
    digest = hashlib.sha1(f"{graph_version()}\n{_describe(store)}\n".encode("utf-8"))
    for path in sorted(current):
        digest.update(f"{path}\t{current[path]['id']}\n".encode("utf-8"))
    for path in override_files:
        digest.update(f"{path}\n".encode("utf-8") + path.read_bytes())
    return digest.hexdigest()


def _store_holds(store: GraphStore, last: dict, summary: RefreshSummary) -> bool:
    """True when the store still holds the graph the last refresh wrote (by its node count)."""
    if summary.messages:
        return False  # the store or the manifest reported damage: write the graph again
    try:
        rows = store.run("MATCH (n:Entity) RETURN count(n) AS n")
    except UfgraphError:
        rows = []
    if rows and rows[0].get("n") == sum(last.get("nodes", {}).values()):
        return True
    summary.messages.append("the store no longer holds the graph of the last refresh (deleted?); "
                            "rebuilding it from the reports")
    return False


def _describe(store: GraphStore) -> str:
    folder = getattr(store, "folder", None)
    return f"{store.name} store at {folder}" if folder else f"{store.name} store"


def _stat_entry(path: str | Path, st: os.stat_result | None = None) -> dict:
    """Size and modification time of `path`; from `st` when its stat was taken already."""
    st = st or os.stat(path)
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _cache_intact(cache_dir: Path, entry: dict, summary: RefreshSummary) -> bool:
    """The cache file is there and unchanged since it was written (size and mtime)."""
    try:
        now = _cache_stat(cache_dir, entry["id"])
    except FileNotFoundError:
        path = _cache_file(cache_dir, entry["id"])
        summary.messages.append(f"{path}: cache file missing; extracting again")
        return False
    if entry.get("cache") not in (None, now):
        path = _cache_file(cache_dir, entry["id"])
        summary.messages.append(f"{path}: cache file changed or damaged since it was written; extracting again")
        return False
    return True


def _classify(stats: dict[str, dict], old: dict[str, dict], cache_dir: Path, full: bool, jobs: int,
              progress: Progress | None, summary: RefreshSummary) -> dict[str, dict]:
    """Manifest entries of the reports readable now; extracts what needs it. `stats`: the size and
    modification time (_stat_entry) of each report file found, by path."""
    current: dict[str, dict] = {}
    tasks = []
    for path in stats:
        entry = old.get(path)
        untouched = entry and all(entry.get(k) == v for k, v in stats[path].items())
        if not full and untouched and _cache_intact(cache_dir, entry, summary):
            current[path] = entry  # untouched since the last refresh: not even read
        else:
            tasks.append((path, str(cache_dir), bool(full or untouched)))
    for outcome in _run_all(tasks, jobs, progress):
        if outcome.error:
            summary.failed.append((outcome.path, outcome.error))
        else:
            summary.extracted += outcome.extracted
            current[outcome.path] = {"id": outcome.report_id, **stats[outcome.path]}
    return current


def _sort_paths(files: list[str], old: dict[str, dict], current: dict[str, dict],
                summary: RefreshSummary) -> None:
    """New, changed, unchanged, removed: what the current report set is, against the last one."""
    for path in files:
        if path in current:
            before = old.get(path)
            bucket = summary.new if before is None else (
                summary.unchanged if before["id"] == current[path]["id"] else summary.changed)
            bucket.append(path)
    failed = {p for p, _ in summary.failed}
    summary.removed = sorted(p for p in old if p not in current and p not in failed)


def _documents(current: dict[str, dict], cache_dir: Path, summary: RefreshSummary) -> list[GraphDocument]:
    """One document per distinct report, from the cache; a damaged cache file is rebuilt."""
    paths_of: dict[str, list[str]] = {}
    for path in sorted(current):
        paths_of.setdefault(current[path]["id"], []).append(path)
    docs = []
    for report_id, paths in sorted(paths_of.items()):
        doc = _cached_or_rebuilt(report_id, paths[0], cache_dir, current, summary)
        if doc is None:
            continue
        doc.reports[0].path = paths[0]  # the file may have moved since it was cached
        docs.append(doc)
    return docs


def _cached_or_rebuilt(report_id: str, path: str, cache_dir: Path, current: dict[str, dict],
                       summary: RefreshSummary):
    """The report's cached document; when the cache file is damaged, extracted again from `path`.
    A report that fails leaves `current`; one extracted again loses its cache stat (taken anew
    when the manifest is written)."""
    try:
        return load_cached(cache_dir, report_id)
    except UfgraphError as exc:
        summary.messages.append(f"{exc}; extracting {path} again")
    outcome = _work((path, str(cache_dir), True))
    paths = [p for p, entry in current.items() if entry["id"] == report_id]
    if outcome.error or outcome.report_id != report_id:
        summary.failed.append((path, outcome.error or "changed while refreshing"))
        for p in paths:
            current.pop(p)
        return None
    summary.extracted += 1
    for p in paths:
        current[p].pop("cache", None)
    return load_cached(cache_dir, report_id)


def _prune_cache(cache_dir: Path, keep: set[str]) -> None:
    """Drop cached documents of reports no longer present, and temporary files of killed runs."""
    with os.scandir(cache_dir) as found:
        for item in found:
            if item.name.startswith(".") or item.name.removesuffix(".json") not in keep:
                Path(item.path).unlink(missing_ok=True)


# ---------------------------------------------------------------- the terminal

@contextmanager
def terminal_progress(label: str = "extracting") -> Iterator[Progress | None]:
    """A click progress bar on stderr when it is a terminal; None (no bar) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    import click

    state: dict = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state["bar"].pos)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)
