"""The embedded graph store: Kùzu in a folder on disk, no server.

Layout of the folder:

    CURRENT          the name of the live database folder (replaced atomically)
    db-<stamp>/      one complete database (graph.kz)
    .lock            held while a database is being built or switched

A full write (replace) builds a fresh database in a new folder, closes it,
syncs it to disk, then points CURRENT at it with os.replace and deletes the
old folder. A crash at any point leaves CURRENT naming a whole database; the
next open deletes the half-built leftovers. A change (apply, for incremental
refreshes) is one transaction on the live database, kept in Kùzu's
write-ahead log (graph.kz.wal) until the next full write or fold (which
copies the live graph into a new database, graph/fold.py); see apply. Queries
open the live database read-only, so a query cannot write. A node table
UfgraphState holds one row, the stamp of the graph (graph/delta.py). Node
table UfgraphName holds each entity id, name and alias once, linked by
UfgraphNames to the entities it names: the index of the `{{lookup}}`
placeholder (queries/params.py), which Kùzu lacks (graph/store.NAME_TABLE).
Node table UfgraphLink and its three relationships say which relationships
each report states, for `report` (graph/kuzu_links.py). Node table
UfgraphLiaison holds each liaison link as `liaisons` shows it, the posts
around both ends included (graph/kuzu_liaisons.py).

The shape is the one of graph/store.py. MENTIONED_IN is built here from
node evidence: one edge per (node, report), `evidence` = the sentence of the
node's first mention in that report (lowest offset), `count` = its number of
mentions there. `read()` gives each node one Evidence per report from that
edge (the first sentence, offsets 0, rule "MENTIONED_IN"), since the store
keeps no more.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import kuzu

from ..errors import QueryError, RecordError, StaleStoreError, StoreBusyError, StoreDamagedError, StoreError
from . import journal
from .delta import GraphDelta, composed
from .forked import run_forked
from .kuzu_links import LINK_RELS, LINK_TABLE, link_statements
from .kuzu_links import SCHEMA as LINK_SCHEMA
from .kuzu_liaisons import LIAISON_TABLE, liaison_statements
from .kuzu_liaisons import SCHEMA as LIAISON_SCHEMA
from .kuzu_rows import EDGE_PROPS, NODE_OF, edge_row, entity_row, relationship_tables, report_row
from .locks import flocked, process_alive
from .model import MEASURES, SCORES, Edge, Evidence, GraphDocument, Node, Report, report_mentions, unique_ids
from .store import HOLDS_POST, NAME_TABLE, NAMES_REL, GraphStore, name_keys, posts_touched

DB_FILE = "graph.kz"
STAGE_PREFIX = "stage-"  # stage-<pid of the process that loads it>-<ns>: tables staged for a load
POINTER = "CURRENT"
_BATCH = 5000
STATE = "UfgraphState"  # one row, key "stamp": which graph this database holds (graph/delta.py)
_KUZU_MAGIC = b"KUZU"  # how a Kùzu database file starts
_OPEN_WAIT = 5.0  # seconds to wait for another process's write (or read) to let go of the database
CATCH_UP_PASSES = 3  # a fold's rounds of catching up before it takes the write lock (replace_staged_if_still)
WAL_LIMIT = 32 << 20  # bytes of changes (some 60 changed reports of 10,000) before a rebuild folds them
# in: every open replays them (opening for a change: 0.8 s with 4 MB, 1.4 s with 30 MB at 10,000 reports).
# A fold in the background (graph/fold.py) starts far earlier; the limit is for a long stream of changes.
WAL_LIMIT_WHILE_FOLDING = 64 << 20  # while a fold runs: it will switch to a database with a short log
# soon, and a rebuild now would take as long as the fold and make it give way


@dataclass(frozen=True)
class StagedTables:
    """Tables written for a load (kuzu_tables.write_table_files): the folder, (name, file) pairs."""

    folder: Path
    files: list[tuple[str, Path]]


class EmbeddedStore(GraphStore):
    """A Kùzu database in `folder`, replaced whole on every write."""

    name = "embedded"

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.folder}: cannot create the store folder: {exc.strerror}") from None
        self.notices: list[str] = []  # what opening found wrong, for the refresh summary
        self._db: kuzu.Database | None = None
        self._db_dir: Path | None = None
        self._remove_leftovers()
        self._check_current()

    # ------------------------------------------------------------ layout

    def current_dir(self) -> Path | None:
        """The live database folder, or None when the store holds no graph."""
        try:
            name = (self.folder / POINTER).read_text("utf-8").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreDamagedError(f"{self.folder / POINTER}: unreadable: {exc}") from None
        if not re.fullmatch(r"db-[0-9a-z-]+", name):
            raise StoreDamagedError(f"{self.folder / POINTER}: does not name a database folder")
        return self.folder / name

    def has_graph(self) -> bool:
        """True when a whole database is live (a refresh has written one and it opens)."""
        try:
            self._database()
            return True
        except StoreError:
            return False

    def _write_lock(self, blocking: bool = True):
        """Held while building or switching, so a cleanup never deletes a build in progress."""
        return flocked(self.folder / ".lock", blocking)

    def _remove_leftovers(self) -> None:
        with self._write_lock(blocking=False) as held:
            if not held:
                return  # another process is writing; its build is not a leftover
            try:
                live = self.current_dir()
            except StoreError:
                return  # keep everything; _check_current reports the damage
            journal.journals(self.folder)  # removes those of folds that are gone
            for path in self.folder.iterdir():
                if path.name.startswith("db-") and path != live:
                    shutil.rmtree(path, ignore_errors=True)
                elif path.name.startswith(STAGE_PREFIX) and _stage_left_over(path.name):
                    shutil.rmtree(path, ignore_errors=True)
                elif path.name.startswith(f".{POINTER}."):
                    path.unlink(missing_ok=True)

    def _check_current(self) -> None:
        """Notice a missing or damaged live database without opening it: opening replays the
        log of changes (0.1-0.4 s), which a refresh of one changed report cannot spare. Damage
        this misses shows as a StoreError when the database is first opened."""
        try:
            live = self.current_dir()
            if live is not None:
                _check_database_file(live / DB_FILE)
        except StoreError as exc:
            self.notices.append(f"{exc}; the next refresh rebuilds it")

    def _switch_to(self, build: Path) -> None:
        """Point CURRENT at `build` (atomic), then delete the database it replaces."""
        try:
            old = self.current_dir()
        except StoreError:
            old = None
        self._close_db()
        tmp = self.folder / f".{POINTER}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(build.name)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.folder / POINTER)
        _fsync_dir(self.folder)
        if old is not None and old != build:
            shutil.rmtree(old, ignore_errors=True)

    def _new_build_dir(self) -> Path:
        build = self._build_name()
        build.mkdir()
        return build

    def _stage_name(self, owner: int) -> Path:
        return self.folder / f"{STAGE_PREFIX}{owner}-{time.time_ns()}"

    def _build_name(self) -> Path:
        return self.folder / f"db-{time.time_ns()}-{os.getpid()}"

    def _load_into(self, build: Path, staged: StagedTables, stamp: str) -> None:
        """Load staged tables into a new database in `build`, on disk when this returns."""
        try:
            _load_database(build / DB_FILE, staged.files, stamp)
            _fsync_tree(build)
        except (RuntimeError, OSError) as exc:
            raise _write_failed(self.folder, exc) from None

    # ------------------------------------------------------------ reading

    def _database(self) -> kuzu.Database:
        """The live database, opened read-only; reopened when CURRENT moved on."""
        live = self.current_dir()
        if live is None:
            raise StoreError(f"{self.folder}: the store holds no graph yet (run `ufgraph refresh`)")
        if self._db is None or self._db_dir != live:
            self._close_db()
            _check_database_file(live / DB_FILE)
            try:
                self._db = _open_for_reading(live / DB_FILE)
                conn = kuzu.Connection(self._db)
                _rows(conn, "MATCH (n:Entity) RETURN count(*)")
                conn.close()
            except RuntimeError as exc:
                self._db = None
                raise StoreDamagedError(f"{live}: the database is damaged: {exc}") from None
            self._db_dir = live
        return self._db

    def _close_db(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self._db_dir = None, None

    def close(self) -> None:
        self._close_db()

    def read(self) -> GraphDocument:
        if self.current_dir() is None:
            return GraphDocument()
        with self._connection() as conn:
            return _read_document(conn)

    @contextmanager
    def _connection(self):
        # Connections and results are closed before their database ever is:
        # Kùzu crashes when one outlives it.
        conn = kuzu.Connection(self._database())
        try:
            yield conn
        finally:
            conn.close()

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._connection() as conn:
            return _run_reading(conn, cypher, params)

    @contextmanager
    def reading(self):
        """A `run` whose queries all read the same graph, even when a refresh lands between
        them (a module answered in steps, queries/steps.py, needs its steps to agree)."""
        with self._connection() as conn:
            yield partial(_run_reading, conn)

    # ------------------------------------------------------------ writing

    stages_on_disk = True

    def replace(self, doc: GraphDocument, stamp: str = "") -> None:
        self.replace_staged(self.stage(doc, os.getpid()), stamp)

    def stage(self, doc: GraphDocument, owner: int) -> StagedTables:
        """The document's tables as files in a staging folder of the store (see GraphStore)."""
        from .kuzu_tables import document_tables, write_table_files  # pyarrow: only a full write needs it

        tables = document_tables(doc)  # checks the document before anything touches the disk
        folder = self._stage_name(owner)
        try:
            folder.mkdir()
            return StagedTables(folder, write_table_files(tables, folder))
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise _write_failed(self.folder, exc) from None

    def replace_staged(self, staged: StagedTables, stamp: str = "") -> None:
        """Load staged tables into a fresh database and switch to it; the staging folder goes."""
        with self._write_lock():
            build = self._new_build_dir()
            try:
                self._load_into(build, staged, stamp)
            except BaseException:
                shutil.rmtree(build, ignore_errors=True)
                raise
            finally:
                shutil.rmtree(staged.folder, ignore_errors=True)
            self._switch_to(build)

    def stage_live(self, owner: int) -> tuple[StagedTables, str, Path]:
        """For `owner`, a fold (graph/fold.py): the live graph's tables, staged as `stage` stages
        a document's; the stamp of that graph; and a journal recording every change made to the
        live database from that graph on.

        Under the write lock, for a moment: the journal opens, the log of changes is copied and the
        database file is opened. A change adds to the log only; nothing writes to the database
        file of a live folder (that would take a checkpoint, which no change runs; a rebuild makes
        a new folder). So the file is copied after the lock is let go of, and the tables are read
        from the copy, which no change waits for."""
        folder = self._stage_name(owner)
        snapshot, journal_dir = folder / "snapshot", None
        try:
            snapshot.mkdir(parents=True)
            with self._write_lock():
                live = self.current_dir()
                if live is None:
                    raise StoreError(f"{self.folder}: the store holds no graph yet (run `ufgraph refresh`)")
                journal_dir = journal.open_journal(self.folder, owner, live)
                if (live / f"{DB_FILE}.wal").exists():
                    shutil.copyfile(live / f"{DB_FILE}.wal", snapshot / f"{DB_FILE}.wal")
                source = open(live / DB_FILE, "rb")
            with source:
                _copy_unchanged(source, snapshot / DB_FILE)
            files, stamp = run_forked(partial(_export_tables, os.path.abspath(snapshot / DB_FILE), folder),
                                      "reading the live graph")
            shutil.rmtree(snapshot)
            return StagedTables(folder, files), stamp, journal_dir
        except BaseException as exc:
            shutil.rmtree(folder, ignore_errors=True)
            if journal_dir is not None:
                shutil.rmtree(journal_dir, ignore_errors=True)
            if isinstance(exc, OSError):
                raise _write_failed(self.folder, exc) from None
            raise

    def replace_staged_if_still(self, staged: StagedTables, stamp: str, journal_dir: Path) -> int | None:
        """Load staged tables (the graph stamped `stamp`) into a fresh database, without holding the
        write lock, so that changes go on meanwhile; apply to it the changes `journal_dir` recorded
        since, and switch to it. The number of changes caught up with; None, and nothing switched,
        when the journal cannot bring it to the live graph (an unrecorded write came in between).
        The load is built inside the staging folder, which no other process removes while its owner
        lives."""
        build = staged.folder / "db"
        try:
            build.mkdir()
            self._load_into(build, staged, stamp)
            caught_up = 0
            for _ in range(CATCH_UP_PASSES):  # the bulk of the changes, with no lock held
                changes = journal.changes_since(journal_dir, stamp)
                if not changes:
                    break
                stamp, caught_up = self._catch_up(build, changes, stamp), caught_up + len(changes)
            with self._write_lock():
                live = self.current_dir()
                if live is None or live.name != journal.started_on(journal_dir):
                    return None  # rebuilt or rescored meanwhile
                changes = journal.changes_since(journal_dir, stamp, until=self.stamp())
                if changes is None:
                    return None
                if changes:  # the few made during the last pass
                    stamp, caught_up = self._catch_up(build, changes, stamp), caught_up + len(changes)
                final = self._build_name()
                os.rename(build, final)
                self._switch_to(final)
                return caught_up
        except OSError as exc:  # making the folder or renaming it
            raise _write_failed(self.folder, exc) from None
        finally:
            shutil.rmtree(staged.folder, ignore_errors=True)

    def _catch_up(self, build: Path, changes: list[tuple[GraphDelta, str]], stamp: str) -> str:
        """Apply `changes`, composed into one, to the database in `build`; the stamp it then holds."""
        change, after = composed([delta for delta, _ in changes]), changes[-1][1]
        statements = delta_statements(change)
        run_forked(lambda: _apply_in_place(build / DB_FILE, statements, change, stamp, after), "catching up")
        return after

    def log_bytes(self) -> int:
        """The size of the live database's log of changes (0 when there is none)."""
        try:
            live = self.current_dir()
            return (live / f"{DB_FILE}.wal").stat().st_size if live else 0
        except (OSError, StoreError):
            return 0

    def stamp(self) -> str:
        try:
            if self.current_dir() is None:
                return ""
            rows = self.run(f"MATCH (s:{STATE}) WHERE s.key = 'stamp' RETURN s.value AS value")
        except QueryError:
            return ""  # written before stamps were kept
        except StoreError:
            return ""  # damaged: the refresh rebuilds it
        return rows[0]["value"] if rows else ""

    def apply(self, delta: GraphDelta, before: str, after: str) -> None:
        """Change the live database in place, in one Kùzu transaction, committed to Kùzu's
        write-ahead log: all-or-nothing, also when the process is killed half-way.

        The change runs in a forked child that exits without closing the database. Closing
        would checkpoint, and Kùzu 0.11's checkpoint rewrites whole columns of every relationship
        table the change touched (20 s on a 10,000-report graph, for a change that takes 0.3 s).
        Readers replay the log when they open the database; a refresh folds it in the
        background once it passes FOLD_AT (graph/fold.py), and past WAL_LIMIT
        (WAL_LIMIT_WHILE_FOLDING while a fold runs) StoreBusyError asks the caller for a
        rebuild, which starts a database without a log.
        Raises StaleStoreError when the store holds another graph than `before`."""
        statements = delta_statements(delta)  # checks the delta before anything is opened
        with self._write_lock():
            live = self.current_dir()
            if live is None:
                raise StaleStoreError(f"{self.folder}: the store holds no graph to change")
            wal = live / f"{DB_FILE}.wal"
            limit = WAL_LIMIT_WHILE_FOLDING if journal.journals(self.folder) else WAL_LIMIT
            if wal.exists() and wal.stat().st_size > limit:
                raise StoreBusyError(f"{live}: the log of changes is due to be folded in by a rebuild")
            self._close_db()
            run_forked(lambda: _apply_in_place(live / DB_FILE, statements, delta, before, after),
                       "writing the change")
            journal.record(self.folder, delta, before, after)  # for a fold under way

    def set_node_properties(self, prop: str, values: dict[str, Any]) -> None:
        """Copy the live database, write the scores into the copy, switch to it."""
        if prop not in SCORES:
            raise QueryError(f"{prop!r} is not an analysis property; use one of {', '.join(SCORES)}")
        cast = float if prop in MEASURES else int
        rows = [{"id": k, "value": None if v is None else cast(v)} for k, v in sorted(values.items())]
        with self._write_lock():
            live = self.current_dir()
            if live is None:
                raise StoreError(f"{self.folder}: the store holds no graph yet (run `ufgraph refresh`)")
            build = self._new_build_dir()
            try:
                shutil.copyfile(live / DB_FILE, build / DB_FILE)
                if (live / f"{DB_FILE}.wal").exists():  # changes not yet folded in (see apply)
                    shutil.copyfile(live / f"{DB_FILE}.wal", build / f"{DB_FILE}.wal")
                _write_scores(build / DB_FILE, prop, rows)
                _fsync_tree(build)
            except BaseException as exc:
                shutil.rmtree(build, ignore_errors=True)
                if isinstance(exc, (RuntimeError, OSError)):
                    raise StoreError(f"{self.folder}: writing {prop} failed: {exc}") from None
                raise
            self._switch_to(build)


# Read by query modules, not written by older ufgraph:
_LATER_PROPERTIES = ("forms", "post_types", "report_count")
_LATER_TABLES = (NAME_TABLE, LINK_TABLE, *LINK_RELS, LIAISON_TABLE)


def _older_layout_hint(exc: Exception) -> str:
    """A hint for a query that names a property or table the store lacks: a store written by an
    older ufgraph has no `forms` or `report_count` (read by `search`), `post_types` (read by
    `interlocks`), name table (read by every module that looks an entity up) or link index
    (read by `report`)."""
    if any(f"Cannot find property {prop}" in str(exc) for prop in _LATER_PROPERTIES) \
            or any(f"Table {table} does not exist" in str(exc) for table in _LATER_TABLES):
        return " (the store was written by an older ufgraph; `ufgraph refresh` writes it again)"
    return ""


# ---------------------------------------------------------------- Kùzu I/O

def _schema_statements() -> list[str]:
    between, to_report = relationship_tables()
    stmts = [
        "CREATE NODE TABLE Entity(id STRING PRIMARY KEY, type STRING, name STRING, aliases STRING[], "
        "forms STRING, post_types STRING[], reports STRING[], report_count INT64, degree DOUBLE, betweenness DOUBLE, "
        "community INT64)",
        "CREATE NODE TABLE Report(id STRING PRIMARY KEY, title STRING, date STRING, source STRING, "
        "authors STRING[], path STRING)",
    ]
    stmts += [f"CREATE REL TABLE {rel}(FROM Entity TO Entity, title STRING, role STRING, what STRING, "
              "reports STRING[], dates STRING[], origin STRING, evidence STRING)" for rel in between]
    stmts += [f"CREATE REL TABLE {rel}(FROM Entity TO Report, evidence STRING, count INT64)"
              for rel in to_report]
    stmts.append(f"CREATE NODE TABLE {NAME_TABLE}(key STRING PRIMARY KEY)")
    stmts.append(f"CREATE REL TABLE {NAMES_REL}(FROM {NAME_TABLE} TO Entity)")
    stmts.append(f"CREATE NODE TABLE {STATE}(key STRING PRIMARY KEY, value STRING)")
    return stmts + LINK_SCHEMA + LIAISON_SCHEMA


@contextmanager
def _writing(path: Path):
    """A connection to the database at `path`; checkpointed and closed when the block succeeds.

    After a failed write (a full disk, a file size limit) Kùzu 0.11 cannot close a database:
    its close retries the checkpoint forever or aborts the process. So the checkpoint is run
    here, where a failure raises, and a failed database is abandoned, never closed (the caller
    deletes its folder).
    """
    db = kuzu.Database(str(path))
    conn = kuzu.Connection(db)
    try:
        yield conn
        conn.execute("CHECKPOINT").close()
    except BaseException:
        _abandon(conn, db)
        raise
    conn.close()
    db.close()


def _abandon(*handles) -> None:
    """Keep Kùzu objects alive until the process exits, so their destructors never run: a plain
    reference would be dropped at interpreter exit, and the process abort there."""
    for handle in handles:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(handle))


def _load_database(path: Path, files: list[tuple[str, Path]], stamp: str = "") -> None:
    """A new database at `path` holding the table files (node tables first, all in one folder).

    Kùzu reads each file itself (COPY … FROM a file). Handing it the same tables as Arrow batches
    took 4.5 times as long at 10,000 reports and left a database 3.6 times the size. The load runs
    in a forked child whose working directory is the files' folder, so the query text names a file
    by its table name alone, never by a path of the user's; and Kùzu's memory goes with the child."""
    folders = {file.parent for _, file in files}
    if len(folders) > 1:
        raise StoreError(f"{path.parent}: table files to load must share one folder, not {len(folders)}")
    target = os.path.abspath(path)
    run_forked(partial(_copy_tables, target, files, stamp, folders.pop() if folders else None),
               "loading the database")


def _copy_tables(path: str, files: list[tuple[str, Path]], stamp: str, folder: Path | None) -> None:
    """In the child: the schema, each table copied from its file, and the stamp."""
    if folder is not None:
        os.chdir(folder)
    with _writing(Path(path)) as conn:
        for stmt in _schema_statements():
            conn.execute(stmt).close()
        for name, file in files:
            if file.name != f"{name}.parquet":  # `name` passed the ontology check; the file is named after it
                raise StoreError(f"{file}: a table file is named after its table ({name}.parquet)")
            conn.execute(f"COPY {name} FROM '{file.name}'").close()
        conn.execute(f"CREATE (:{STATE} {{key: 'stamp', value: $stamp}})", {"stamp": stamp}).close()


_NO_KERNEL_COPY = {errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.EPERM}


def _copy_unchanged(source, target: Path) -> None:
    """The open file `source` copied whole to `target` (in the kernel where it can); StoreError when
    the file was written to meanwhile, which a live database file never should be."""
    before = os.fstat(source.fileno())
    with open(target, "wb") as out:
        try:
            while os.copy_file_range(source.fileno(), out.fileno(), 1 << 30):
                pass
        except (AttributeError, OSError) as exc:  # not Linux, or a file system that cannot
            if isinstance(exc, OSError) and exc.errno not in _NO_KERNEL_COPY:
                raise
            source.seek(0)
            out.seek(0)
            out.truncate()
            shutil.copyfileobj(source, out, 1 << 20)
    after = os.fstat(source.fileno())
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        raise StoreError(f"{source.name}: the live database file changed while it was copied")


def _export_tables(path: str, folder: Path) -> tuple[list[tuple[str, Path]], str]:
    """In a child: each table of the database at `path` that has rows, node tables first, as
    `folder`/<table>.parquet (what a full write stages; COPY … TO a file named by the table alone,
    as _copy_tables reads it); and the stamp the database holds."""
    os.chdir(folder)
    db = _open_for_reading(Path(path))
    conn = kuzu.Connection(db)
    try:
        between, to_report = relationship_tables()
        files = []
        for table in (*_NODE_TABLES, *between, *to_report, *_KEYED_RELS):
            pattern, columns = _table_columns(conn, table, is_relationship=table not in _NODE_TABLES)
            if _rows(conn, f"{pattern} RETURN count(*)")[0][0]:
                conn.execute(f"COPY ({pattern} RETURN {', '.join(columns)}) TO '{table}.parquet'").close()
                files.append((table, folder / f"{table}.parquet"))
        stamp = _rows(conn, f"MATCH (s:{STATE}) WHERE s.key = 'stamp' RETURN s.value")
        return files, stamp[0][0] if stamp else ""
    finally:
        conn.close()
        db.close()


# Of _schema_statements, loaded before the relationships:
_NODE_TABLES = ("Entity", "Report", NAME_TABLE, LINK_TABLE, LIAISON_TABLE)
_KEYED_RELS = (NAMES_REL, *LINK_RELS)  # relationships from a node table whose primary key is `key`
_PROPERTY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _table_columns(conn: kuzu.Connection, table: str, is_relationship: bool) -> tuple[str, list[str]]:
    """The MATCH of a table's rows, and its columns in the order of its schema, as COPY … FROM
    takes them back: a relationship's two ends' ids first. `table` passed the ontology check; the
    property names are checked here."""
    names = [row[1] for row in _rows(conn, f"CALL table_info('{table}') RETURN *")]
    if not all(_PROPERTY.fullmatch(name) for name in names):
        raise StoreError(f"table {table}: unexpected property names {names}")
    if is_relationship:
        source = "a.key" if table in _KEYED_RELS else "a.id"
        return f"MATCH (a)-[e:{table}]->(b)", [source, "b.id", *(f"e.{name}" for name in names)]
    return f"MATCH (n:{table})", [f"n.{name}" for name in names]


def _apply_in_place(path: Path, statements: list[tuple[str, dict]], delta: GraphDelta, before: str,
                    after: str) -> None:
    """In the child process: the change as one transaction, committed, and the database left open
    (the process then ends with os._exit, so Kùzu never checkpoints; see EmbeddedStore.apply)."""
    db = _open_for_writing(path)
    conn = kuzu.Connection(db)
    _abandon(conn, db)  # never closed: closing would checkpoint (the child ends with os._exit)
    conn.execute("BEGIN TRANSACTION").close()
    try:
        held = _rows(conn, f"MATCH (s:{STATE}) WHERE s.key = 'stamp' RETURN s.value")
        if not held or held[0][0] != before:
            raise StaleStoreError(f"{path.parent.parent}: the store holds another graph than the one "
                                  "the change was computed against")
        prepared = _Prepared(conn)
        stored = _stored_nodes(conn, prepared, delta)  # read before anything is written
        post_types = _post_types_after(conn, prepared, delta, stored)  # so are the posts it reads
        names = _name_statements(delta, stored)
        read = partial(_read_prepared, conn, prepared)
        links = link_statements(read, delta)
        liaisons = liaison_statements(read, delta, {i: stored.get(i) for i in _stored_ids(delta)})
        mentions = _mention_statements(conn, delta.nodes, delta.held_mentions, set(delta.removed_nodes))
        for query, params in statements + names + mentions + links + liaisons:
            conn.execute(prepared[query], params).close()
        for entity_id, types in sorted(post_types.items()):
            conn.execute(prepared["MATCH (n:Entity {id: $id}) SET n.post_types = $types"],
                         {"id": entity_id, "types": types}).close()
        conn.execute(f"MERGE (s:{STATE} {{key: 'stamp'}}) SET s.value = $stamp", {"stamp": after}).close()
        conn.execute("COMMIT").close()
    except RuntimeError as exc:
        raise _write_failed(path.parent, exc) from None


def _write_failed(folder: Path, exc: Exception) -> StoreError:
    return StoreError(f"{folder}: writing the graph failed ({exc}); the store keeps its previous graph. "
                      "Is the disk full?")


def _stage_left_over(name: str) -> bool:
    """A staging folder (stage-<pid>-<ns>) whose loading process is gone."""
    return not process_alive(name[len(STAGE_PREFIX):].split("-")[0])


def _check_database_file(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            magic = handle.read(len(_KUZU_MAGIC))
    except FileNotFoundError:
        raise StoreDamagedError(f"{path.parent}: the database named by {POINTER} is missing") from None
    except OSError as exc:
        raise StoreDamagedError(f"{path.parent}: the database is unreadable: {exc.strerror}") from None
    if magic != _KUZU_MAGIC:
        raise StoreDamagedError(f"{path.parent}: the database is damaged (not a Kùzu database file)")


def _open_waiting(path: Path, **options) -> kuzu.Database:
    """Open the database, waiting up to _OPEN_WAIT seconds while another process holds its lock
    (a change being written, or a reader when we write); other failures raise at once."""
    deadline = time.monotonic() + _OPEN_WAIT
    while True:
        try:
            return kuzu.Database(str(path), **options)
        except RuntimeError as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _open_for_reading(path: Path) -> kuzu.Database:
    return _open_waiting(path, read_only=True)


def _open_for_writing(path: Path) -> kuzu.Database:
    try:
        # No automatic checkpoint at commit either (see EmbeddedStore.apply).
        return _open_waiting(path, auto_checkpoint=False)
    except RuntimeError as exc:
        if "lock" in str(exc).lower():
            raise StoreBusyError(f"{path.parent}: another process has the database open") from None
        raise StoreDamagedError(f"{path.parent}: the database is damaged (opening it to change it: {exc})") from None


# ---------------------------------------------------------------- delta → statements
#
# A delta is small (a changed report touches some hundred records), and Kùzu 0.11 looks a node up
# by its primary key only when the key is a parameter: `UNWIND $rows AS row MATCH (a {id: row.x})`
# scans the table. So a change is written one record per statement, each an index lookup (about
# a millisecond), rather than in UNWIND batches as a rebuild would be.

def delta_statements(delta: GraphDelta) -> list[tuple[str, dict]]:
    """The Cypher (with parameters) that applies a delta, in the order of graph/delta.py, except
    the MENTIONED_IN edges of written nodes (see _mention_statements) and `post_types` (see
    _post_types_after). Relationship types come from the ontology (relationship_tables), never
    from the delta."""
    between, _ = relationship_tables()
    _check_delta(delta, between)
    out: list[tuple[str, dict]] = []
    for s, rel, t in sorted(set(delta.removed_edges) | {e.key for e in delta.edges}):
        rel = between[between.index(rel)]
        out.append((f"MATCH (a:Entity {{id: $s}})-[e:{rel}]->(b:Entity {{id: $t}}) DELETE e", {"s": s, "t": t}))
    for label, ids in (("Entity", sorted(delta.removed_nodes)),
                       ("Report", sorted(set(delta.removed_reports) - {r.id for r in delta.reports}))):
        for i in ids:
            # Not DETACH DELETE: Kùzu 0.11.3 replays that wrongly from its log of changes (after
            # two linked nodes went, another node's relationship was missed by an id lookup;
            # tests/test_in_place_changes.py). Relationships one direction at a time replay right.
            out += [(f"MATCH (n:{label} {{id: $id}})-[e]->() DELETE e", {"id": i}),
                    (f"MATCH (n:{label} {{id: $id}})<-[e]-() DELETE e", {"id": i}),
                    (f"MATCH (n:{label} {{id: $id}}) DELETE n", {"id": i})]
    out += [("MERGE (r:Report {id: $id}) SET r.title = $title, r.date = $date, r.source = $source, "
             "r.authors = $authors, r.path = $path", report_row(r)) for r in delta.reports]
    for score in SCORES:
        # Scores describe the whole graph (`ufgraph analyze --write`): once it changes they are
        # stale, and are dropped as a rebuild drops them. A score a written node carries is kept.
        out.append((f"MATCH (n:Entity) WHERE n.{score} IS NOT NULL SET n.{score} = NULL", {}))
    for row in map(entity_row, delta.nodes):
        out.append(("MERGE (n:Entity {id: $id}) ON CREATE SET n.post_types = [] SET n.type = $type, "
                    "n.name = $name, n.aliases = $aliases, n.forms = $forms, n.reports = $reports, "
                    "n.report_count = $report_count",
                    {k: row[k] for k in ("id", "type", "name", "aliases", "forms", "reports", "report_count")}))
        out += [(f"MATCH (n:Entity {{id: $id}}) SET n.{score} = $value", {"id": row["id"], "value": row[score]})
                for score in SCORES if row[score] is not None]
    for e, row in zip(delta.edges, map(edge_row, delta.edges)):
        rel = between[between.index(e.type)]
        out.append((f"MATCH (a:Entity {{id: $from}}), (b:Entity {{id: $to}}) CREATE (a)-[:{rel} {{title: $title, "
                    "role: $role, what: $what, reports: $reports, dates: $dates, origin: $origin, "
                    "evidence: $evidence}]->(b)", row))
    return out


def _mention_statements(conn: kuzu.Connection, nodes: list[Node], known: dict[str, dict[str, tuple[str, int]]],
                        removed: set[str]) -> list[tuple[str, dict]]:
    """Make the MENTIONED_IN edges of written nodes match their evidence, touching only the
    (node, report) pairs that differ: a node named in thousands of reports keeps the rest.
    What the store holds comes from `known` (the delta's held_mentions) or is read; a node the
    change also removes (`removed`) holds none, its mentions having gone with it, as its name
    keys and links do (read before the change, they would still be there)."""
    out: list[tuple[str, dict]] = []
    for rel in relationship_tables()[1]:
        for node in nodes:
            if node.id in removed:
                held = {}
            else:
                held = known[node.id] if node.id in known else _mentions_of(conn, rel, node.id)
            wanted = report_mentions(node, {e.report for e in node.evidence})
            for report in sorted(set(held) | set(wanted)):
                if held.get(report) == wanted.get(report):
                    continue
                if report in held:
                    out.append((f"MATCH (n:Entity {{id: $id}})-[m:{rel}]->(r:Report {{id: $r}}) DELETE m",
                                {"id": node.id, "r": report}))
                if report in wanted:
                    sentence, count = wanted[report]
                    out.append((f"MATCH (n:Entity {{id: $id}}), (r:Report {{id: $r}}) "
                                f"CREATE (n)-[:{rel} {{evidence: $e, count: $c}}]->(r)",
                                {"id": node.id, "r": report, "e": sentence, "c": count}))
    return out


def _mentions_of(conn: kuzu.Connection, rel: str, node_id: str) -> dict[str, tuple[str, int]]:
    return {r: (e, c) for r, e, c in _rows_with(
        conn, f"MATCH (n:Entity {{id: $id}})-[m:{rel}]->(r:Report) RETURN r.id, m.evidence, m.count", {"id": node_id})}


_MERGE_NAME = f"MERGE (k:{NAME_TABLE} {{key: $key}})"
_LINK_NAME = f"MATCH (k:{NAME_TABLE} {{key: $key}}), (n:Entity {{id: $id}}) CREATE (k)-[:{NAMES_REL}]->(n)"
_DROP_NAME = f"MATCH (k:{NAME_TABLE} {{key: $key}})-[l:{NAMES_REL}]->(n:Entity {{id: $id}}) DELETE l"


def _stored_ids(delta: GraphDelta) -> set[str]:
    """The nodes _stored_nodes reads: those the change writes and the bodies of the posts it writes."""
    return {n.id for n in delta.nodes} | {e.target for e in delta.edges if e.type == HOLDS_POST}


def _stored_nodes(conn: kuzu.Connection, prepared: "_Prepared", delta: GraphDelta) -> dict[str, tuple]:
    """(type, name, aliases) as the store holds them, before the change, for the nodes it writes
    and the bodies of the posts it writes (those the store has); one primary-key read each."""
    out = {}
    for node_id in sorted(_stored_ids(delta)):
        for node_type, name, aliases in _rows_with(conn, prepared[NODE_OF], {"id": node_id}):
            out[node_id] = (node_type, name, aliases or [])
    return out


def _name_statements(delta: GraphDelta, stored: dict[str, tuple]) -> list[tuple[str, dict]]:
    """Make the name table's links of the written nodes match their id, name and aliases,
    touching only the keys that differ (most written nodes keep theirs). A node the change
    removes loses its links with it (its incoming relationships go), so one removed and written
    again gets all its keys anew. A key left naming nothing stays: it finds nothing, and the
    next whole write leaves it out."""
    removed = set(delta.removed_nodes)
    out: list[tuple[str, dict]] = []
    for node in delta.nodes:
        held = set() if node.id in removed or node.id not in stored else name_keys(node.id, *stored[node.id][1:])
        wanted = name_keys(node.id, node.name, node.aliases)
        out += [(_DROP_NAME, {"key": key, "id": node.id}) for key in sorted(held - wanted)]
        for key in sorted(wanted - held):
            out += [(_MERGE_NAME, {"key": key}), (_LINK_NAME, {"key": key, "id": node.id})]
    return out


_HOLDERS_OF = "MATCH (p:Entity)-[:HOLDS_POST]->(o:Entity {id: $id}) RETURN p.id"
_POSTS_OF = "MATCH (p:Entity {id: $id})-[:HOLDS_POST]->(o:Entity) RETURN o.id, o.type"


def _post_types_after(conn: kuzu.Connection, prepared: "_Prepared", delta: GraphDelta,
                      stored: dict[str, tuple]) -> dict[str, list[str]]:
    """The `post_types` (graph/store.held_post_types) the change alters, as they will be after it,
    worked out from what the store holds before it (`stored`: see _stored_nodes). Not read back
    after the writes: Kùzu 0.11.3, in the transaction that deleted a relationship and created it
    again, read its target as another node's (tests/test_incremental.py caught a person with two
    federations for a chamber and a federation). Who changes: the sources of the HOLDS_POST links
    the change writes or removes, and the holders of posts in nodes it removes or gives another
    type. Each read is a primary-key lookup (`n.id IN $ids` scans every entity: 200 ms for 80 ids
    at 10,000 reports)."""
    def rows(query: str, node_id: str) -> list[list]:
        return _rows_with(conn, prepared[query], {"id": node_id})

    def posts_of(person: str) -> dict[str, str]:
        """Body id → its type after the change, for the posts `person` holds now."""
        if person in removed:  # written again: its posts went with it
            return {}
        return {o: types.get(o, t) for o, t in rows(_POSTS_OF, person) if o not in removed}

    written = {n.id: n.type for n in delta.nodes}
    removed = set(delta.removed_nodes)
    types = {node_id: held[0] for node_id, held in stored.items()}
    retyped = {i for i, t in written.items() if types.get(i, t) != t}
    types.update(written)
    people = posts_touched(delta) | {row[0] for node_id in sorted(removed | retyped)
                                     for row in rows(_HOLDERS_OF, node_id)}
    held = {p: posts_of(p) for p in people if p not in removed or p in written}
    for source, rel, target in delta.removed_edges:
        if rel == HOLDS_POST and source in held:
            held[source].pop(target, None)
    for e in delta.edges:
        if e.type == HOLDS_POST and e.source in held:  # else the node is not in the store: the write fails
            held[e.source][e.target] = types.get(e.target)
    return {p: sorted(targets.values()) for p, targets in held.items()}


class _Prepared(dict):
    """Query text → its prepared statement, prepared on first use. A change runs a few hundred
    statements of a few dozen shapes, and preparing took as long as running (0.8 ms each)."""

    def __init__(self, conn: kuzu.Connection):
        super().__init__()
        self.conn = conn

    def __missing__(self, query: str) -> kuzu.PreparedStatement:
        with warnings.catch_warnings():
            # Kùzu 0.11 deprecates prepare() in favour of execute(query, params), which prepares
            # again on every call; the version is pinned (pyproject.toml).
            warnings.simplefilter("ignore", DeprecationWarning)
            self[query] = self.conn.prepare(query)
        return self[query]


def _read_prepared(conn: kuzu.Connection, prepared: "_Prepared", query: str, params: dict) -> list[list]:
    return _rows_with(conn, prepared[query], params)


def _rows_with(conn: kuzu.Connection, cypher: str, params: dict) -> list[list]:
    result = conn.execute(cypher, params)
    try:
        return result.get_all()
    finally:
        result.close()


def _check_delta(delta: GraphDelta, between: list[str]) -> None:
    unique_ids([n.id for n in delta.nodes], "node")
    unique_ids([r.id for r in delta.reports], "report")
    unique_ids(["\x1f".join(e.key) for e in delta.edges], "edge")
    for key in [*delta.removed_edges, *(e.key for e in delta.edges)]:
        if key[1] not in between:
            raise RecordError(f"edge {key}: {key[1]!r} is not a relationship between entities")



def _write_scores(path: Path, prop: str, rows: list[dict]) -> None:
    with _writing(path) as conn:
        conn.execute("BEGIN TRANSACTION").close()
        for start in range(0, len(rows), _BATCH):
            # `prop` is one of SCORES, checked by the caller.
            conn.execute(f"UNWIND $rows AS row MATCH (n:Entity {{id: row.id}}) SET n.{prop} = row.value",
                         {"rows": rows[start:start + _BATCH]}).close()
        conn.execute("COMMIT").close()


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rows(conn: kuzu.Connection, cypher: str) -> list[list]:
    result = conn.execute(cypher)
    try:
        return result.get_all()
    finally:
        result.close()


def _read_document(conn: kuzu.Connection) -> GraphDocument:
    reports = [Report(r[0], r[1] or "", r[2] or "", r[3] or "", list(r[4] or []), r[5] or "")
               for r in _rows(conn, "MATCH (r:Report) RETURN r.id, r.title, r.date, r.source, "
                                    "r.authors, r.path ORDER BY r.id")]
    nodes = _read_nodes(conn, {r.id: r.date for r in reports})
    edges = [e for rel in relationship_tables()[0] for e in _read_edges(conn, rel)]
    edges.sort(key=lambda e: e.key)
    return GraphDocument(reports, nodes, edges)


def _read_nodes(conn: kuzu.Connection, dates: dict[str, str]) -> list[Node]:
    mentions: dict[str, list[Evidence]] = {}
    for rel in relationship_tables()[1]:
        for nid, rid, sentence in _rows(conn, f"MATCH (n:Entity)-[m:{rel}]->(r:Report) "
                                              "RETURN n.id, r.id, m.evidence ORDER BY n.id, r.id"):
            mentions.setdefault(nid, []).append(Evidence(rid, sentence or "", 0, 0, rel, dates.get(rid, "")))
    nodes = []
    for nid, ntype, name, aliases, *scores in _rows(
            conn, "MATCH (n:Entity) RETURN n.id, n.type, n.name, n.aliases, "
                  "n.degree, n.betweenness, n.community ORDER BY n.id"):
        props = {k: v for k, v in zip(SCORES, scores) if v is not None}
        nodes.append(Node(nid, ntype, name, list(aliases or []), mentions.get(nid, []), props))
    return nodes


def _read_edges(conn: kuzu.Connection, rel: str) -> list[Edge]:
    edges = []
    for source, target, title, role, what, origin, evidence in _rows(
            conn, f"MATCH (a:Entity)-[r:{rel}]->(b:Entity) "
                  "RETURN a.id, b.id, r.title, r.role, r.what, r.origin, r.evidence"):
        props = {k: v for k, v in zip(EDGE_PROPS, (title, role, what)) if v is not None}
        evs = [Evidence.from_dict(e) for e in json.loads(evidence or "[]")]
        edges.append(Edge(source, target, rel, props, evs, origin or "report"))
    return edges


# ---------------------------------------------------------------- queries

_STRING_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_READING_START = {"MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"}
# Read-only mode stops writes to the graph; these would still touch files,
# extensions or other databases, so they are refused by name.
_OUTSIDE_GRAPH = re.compile(r"\b(LOAD|COPY|INSTALL|EXPORT|IMPORT|ATTACH|DETACH\s+DATABASE|USE)\b", re.I)


def _run_reading(conn: kuzu.Connection, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    _refuse_non_reading(cypher)
    try:
        result = conn.execute(cypher, dict(params or {}))
    except RuntimeError as exc:
        if "read-only" in str(exc):
            raise QueryError(f"queries may only read the graph; this one writes: {exc}") from None
        raise QueryError(f"the query failed: {exc}{_older_layout_hint(exc)}") from None
    results = result if isinstance(result, list) else [result]
    try:
        if len(results) != 1:
            raise QueryError("one statement per query, please")
        columns = result.get_column_names()
        return [dict(zip(columns, map(_plain, row))) for row in result.get_all()]
    finally:
        for r in results:
            r.close()


def _refuse_non_reading(cypher: str) -> None:
    bare = _STRING_OR_COMMENT.sub(" ", cypher)
    words = bare.split()
    if not words or words[0].upper() not in _READING_START:
        raise QueryError("queries may only read the graph: start with MATCH, OPTIONAL MATCH, "
                         "UNWIND, WITH, RETURN or CALL")
    found = _OUTSIDE_GRAPH.search(bare)
    if found:
        raise QueryError(f"queries may only read the graph; {found.group(1).upper()} is refused")


def _plain(value: Any) -> Any:
    """Kùzu values as plain Python: a node or relationship becomes the dict of its properties."""
    if isinstance(value, dict):
        if "_nodes" in value and "_rels" in value:
            return {"nodes": [_plain(n) for n in value["_nodes"]], "rels": [_plain(r) for r in value["_rels"]]}
        return {k: _plain(v) for k, v in value.items() if not k.startswith("_") and v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
