"""`ufgraph doctor`: what is configured, and whether it works.

Each check gives ok, warn or fail with one line of detail. Nothing here
prints a password: the Neo4j check says only whether one is set, and
connection errors come from graph/neo4j_store.connect, which scrubs them.

    settings = Settings(store=None, data=Path("~/.local/share/ufgraph"), data_source="default",
                        neo4j={"uri": None, "user": None, "password": None, "database": None})
    for check in run_checks(settings):
        print(check.line())
"""
from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Callable

from .. import __version__
from ..errors import UfgraphError
from . import config

OK, WARN, FAIL = "ok", "warn", "fail"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # Maven colours its banner even in batch mode
CHROMIUM = "/usr/bin/chromium"  # the one tests/test_view_browser.py launches
_OPTIONAL = {"followthemoney": "export --format ftm validation", "nbclient": "the notebook test",
             "ipykernel": "the notebook test", "IPython": "notebook views"}


@dataclass
class Check:
    name: str
    status: str
    detail: str

    def line(self) -> str:
        return f"[{self.status:>4}] {self.name}: {self.detail}"


@dataclass
class Settings:
    """What the command line resolved, and where each value came from (for "why")."""

    store: str | None  # --store, or None
    data: Path
    data_source: str  # "commandline", "environment" or "default"
    neo4j: dict = field(default_factory=dict)  # uri, user, password, database

    def to_dict(self) -> dict:
        out = asdict(self)
        out["data"] = str(self.data)
        out["neo4j"] = {k: v for k, v in self.neo4j.items() if k != "password"}
        if out["neo4j"].get("uri"):  # a URI may carry user:password@
            from .neo4j_store import safe_uri
            out["neo4j"]["uri"] = safe_uri(out["neo4j"]["uri"])
        return out


def run_checks(settings: Settings, slow: bool = True) -> list[Check]:
    """Every check, in order. `slow=False` skips those that start programs (Java, Maven, Chromium)."""
    checks: list[tuple[str, Callable[[], Check]]] = [
        ("ufgraph", lambda: Check("ufgraph", OK, f"{__version__} on Python {platform.python_version()}")),
        ("store", lambda: check_store_choice(settings)),
        ("data folder", lambda: check_data_folder(settings)),
        ("cache", lambda: check_cache(settings.data)),
        ("embedded store", lambda: check_embedded(settings)),
        ("neo4j", lambda: check_neo4j(settings)),
        ("optional packages", check_optional_packages),
    ]
    if slow:
        checks += [("java/maven", check_java_maven), ("chromium", check_chromium)]
    return [_safely(name, check) for name, check in checks]


def _safely(name: str, check: Callable[[], Check]) -> Check:
    # One broken check must not hide the others.
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - reported as a failed check, never a traceback
        return Check(name, FAIL, f"{type(exc).__name__}: {exc}")


def check_store_choice(settings: Settings) -> Check:
    kind = config.store_choice(settings.store, settings.neo4j.get("uri"))
    if settings.store:
        why = f"--store {settings.store}"
    elif kind == "neo4j":
        why = "NEO4J_URI is set"
    else:
        why = "the default, as NEO4J_URI is not set"
    return Check("store", OK, f"{kind} ({why})")


def check_data_folder(settings: Settings) -> Check:
    why = {"commandline": "--data-dir", "environment": "UFGRAPH_DATA_DIR"}.get(settings.data_source, "default")
    path = settings.data
    if not path.exists():
        return Check("data folder", WARN, f"{path} ({why}) does not exist yet; `ufgraph refresh` creates it")
    if not path.is_dir():
        return Check("data folder", FAIL, f"{path} ({why}) is a file, not a folder")
    if not os.access(path, os.W_OK):
        return Check("data folder", FAIL, f"{path} ({why}) is not writable")
    return Check("data folder", OK, f"{path} ({why}), {human_size(folder_size(path))}")


def check_cache(data: Path) -> Check:
    cache = data / "cache"
    if not cache.is_dir():
        return Check("cache", OK, f"{cache}: empty (no refresh yet)")
    files = sum(1 for _ in cache.glob("*.json"))
    return Check("cache", OK, f"{cache}: {files} report documents, {human_size(folder_size(cache))}")


def check_embedded(settings: Settings) -> Check:
    folder = config.embedded_store_dir(settings.data)
    chosen = config.store_choice(settings.store, settings.neo4j.get("uri")) == "embedded"
    if not folder.is_dir():
        return Check("embedded store", WARN if chosen else OK, f"{folder}: no graph yet (run `ufgraph refresh`)")
    from .embedded import EmbeddedStore

    try:
        with EmbeddedStore(folder) as store:
            if store.current_dir() is None:
                return Check("embedded store", WARN if chosen else OK, f"{folder}: no graph yet")
            count = store.run("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
    except UfgraphError as exc:
        return Check("embedded store", FAIL if chosen else WARN, str(exc))
    return Check("embedded store", OK, f"{folder}: {count} nodes, {human_size(folder_size(folder))}")


def check_neo4j(settings: Settings) -> Check:
    neo4j = settings.neo4j
    chosen = config.store_choice(settings.store, neo4j.get("uri")) == "neo4j"
    if not neo4j.get("uri"):
        if chosen:
            return Check("neo4j", FAIL, "--store neo4j needs NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD)")
        return Check("neo4j", OK, "not configured (NEO4J_URI is not set)")
    from .neo4j_store import connect, safe_uri

    where = (f"{safe_uri(neo4j['uri'])} as {neo4j.get('user') or 'neo4j'}, "
             f"database {neo4j.get('database') or '(default)'}, "
             f"password {'set' if neo4j.get('password') else 'NOT set'}")
    try:
        with connect(neo4j["uri"], neo4j.get("user") or "neo4j", neo4j.get("password") or "",
                     neo4j.get("database") or None) as store:
            rows = store.run("CALL dbms.components() YIELD name, versions, edition "
                             "RETURN name, versions[0] AS version, edition")
            count = store.run("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
    except UfgraphError as exc:
        return Check("neo4j", FAIL if chosen else WARN, f"{where}: {exc}")
    version = ", ".join(f"{r['name']} {r['version']} {r['edition']}" for r in rows)
    return Check("neo4j", OK, f"{where}: answers, {version}; {count} entity nodes")


def check_optional_packages() -> Check:
    missing = [f"{name} ({use})" for name, use in _OPTIONAL.items() if find_spec(name) is None]
    if missing:
        return Check("optional packages", WARN, "not installed: " + "; ".join(missing))
    return Check("optional packages", OK, ", ".join(_OPTIONAL))


def check_java_maven() -> Check:
    """Java 17+, javac and Maven build the Neo4j test server (tests/neo4j_server.py)."""
    missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if missing:
        return Check("java/maven", WARN, f"{', '.join(missing)} not on PATH; the Neo4j tests will be skipped")
    java = _first_line(["java", "-version"])
    maven = _first_line(["mvn", "-B", "-v"])
    return Check("java/maven", OK, f"{java}; {maven} (for the Neo4j test server)")


def check_chromium() -> Check:
    """The browser tests of the HTML views drive Debian's Chromium through Playwright
    (tests/test_view_browser.py)."""
    path = Path(CHROMIUM)
    if not path.exists():
        return Check("chromium", WARN, f"{path} not found (apt-get install chromium); the browser tests will be skipped")
    if find_spec("playwright") is None:
        return Check("chromium", WARN, f"{path} found, but playwright is not installed (pip install -e '.[test]')")
    return Check("chromium", OK, f"{_first_line([str(path), '--version'])} at {path} (for the browser tests)")


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{command[0]}: {exc}"
    text = _ANSI.sub("", done.stdout or done.stderr).strip()  # java -version writes to stderr
    return text.splitlines()[0] if text else command[0]


def folder_size(path: Path) -> int:
    """Bytes of the regular files under `path` (symbolic links not followed)."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue  # removed while we walked
    return total


def human_size(size: int) -> str:
    """1536 -> '1.5 KiB'.

    >>> human_size(1536), human_size(0)
    ('1.5 KiB', '0 B')
    """
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def exit_status(checks: list[Check]) -> int:
    """0 when nothing failed (warnings included), 1 when a check failed."""
    return 1 if any(c.status == FAIL for c in checks) else 0
