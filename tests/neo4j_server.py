"""Start and stop the Neo4j 5 LTS test server (tools/neo4j-test-server).

The server is an embedded Neo4j with a Bolt connector on 127.0.0.1, built
with Maven and javac by `build.sh` (cached in ~/.m2 and target/, so only
the first build is slow). Failures raise the project's own errors:
ConfigError when Java or Maven is missing, StoreError when the build or the
start fails; both carry the log tail so the cause is visible.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import neo4j
from neo4j.exceptions import DriverError, Neo4jError

from ufgraph.errors import ConfigError, StoreError

SERVER_DIR = Path(__file__).resolve().parents[1] / "tools" / "neo4j-test-server"
USER = "neo4j"
# A test-only password; the launcher reads it from its environment.
PASSWORD = "ufgraph-test-secret"
DATABASE = "neo4j"
BUILD_TIMEOUT = 30 * 60  # the first Maven download can take minutes
START_TIMEOUT = 120
_PORT_ATTEMPTS = 3


@dataclass
class ServerHandle:
    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    process: subprocess.Popen = field(repr=False)
    log_path: Path

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (the launcher's shutdown hook closes the store), then kill if it hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process.stdin:
            self.process.stdin.close()

    def log_tail(self, lines: int = 40) -> str:
        return _tail(self.log_path, lines)

    def cpu_seconds(self) -> float | None:
        """CPU time the server's JVM has used (user + system), or None where /proc cannot tell.
        start.sh execs java, so the process we started is the JVM."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def build_test_server(timeout: float = BUILD_TIMEOUT) -> None:
    """Build the launcher if anything is out of date; a no-op taking milliseconds otherwise."""
    missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if missing:
        raise ConfigError(f"the Neo4j test server needs {', '.join(missing)} on PATH")
    try:
        done = subprocess.run([str(SERVER_DIR / "build.sh")], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise StoreError(f"{SERVER_DIR / 'build.sh'}: build did not finish in {timeout:.0f} s") from None
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
        raise StoreError(f"{SERVER_DIR / 'build.sh'} failed (exit {done.returncode}):\n{output}")


def start_test_server(workdir: Path, timeout: float = START_TIMEOUT, production: bool = False) -> ServerHandle:
    """Build if needed, start the server on a free port, return once a driver can connect.

    By default the JVM is set to start fast (C1 only, 1 GB heap, 128 MB page cache), as tests
    want; `production` runs it as a production server would (C2, G1, 4 GB heap, 2 GB page
    cache; see start.sh), as benchmarks want."""
    build_test_server()
    workdir = Path(workdir)
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        handle = _launch(workdir / f"run{attempt}", _free_port(), production)
        try:
            _wait_until_ready(handle, timeout)
            return handle
        except StoreError:
            handle.stop()
            # Another process may have taken the port between our probe and
            # the server's bind; only that case is worth another try.
            if "Address already in use" not in handle.log_tail(200) or attempt == _PORT_ATTEMPTS:
                raise


def _launch(rundir: Path, port: int, production: bool) -> ServerHandle:
    rundir.mkdir(parents=True, exist_ok=True)
    log_path = rundir / "server.log"
    env = dict(os.environ, NEO4J_TEST_PASSWORD=PASSWORD)
    with open(log_path, "wb") as log:
        # stdin stays open as a lifeline: the launcher exits when it closes,
        # so a killed test run leaves no server behind.
        process = subprocess.Popen(
            [str(SERVER_DIR / "start.sh"), *(["--production"] if production else []), str(rundir / "data"),
             str(port), "--watch-stdin"],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, env=env)
    return ServerHandle(f"bolt://127.0.0.1:{port}", USER, PASSWORD, DATABASE, process, log_path)


def _wait_until_ready(handle: ServerHandle, timeout: float) -> None:
    """Wait for the READY line (password set), then for the driver's verify_connectivity."""
    deadline = time.monotonic() + timeout
    while "READY " not in _tail(handle.log_path, 200):
        _check_alive(handle)
        _check_deadline(handle, deadline, timeout)
        time.sleep(0.2)
    with neo4j.GraphDatabase.driver(handle.uri, auth=(handle.user, handle.password)) as driver:
        while True:
            try:
                driver.verify_connectivity()
                return
            except (DriverError, Neo4jError):
                _check_alive(handle)
                _check_deadline(handle, deadline, timeout)
                time.sleep(0.2)


def _check_alive(handle: ServerHandle) -> None:
    code = handle.process.poll()
    if code is not None:
        raise StoreError(f"Neo4j test server exited with code {code}; {handle.log_path} ends:\n"
                         f"{handle.log_tail()}")


def _check_deadline(handle: ServerHandle, deadline: float, timeout: float) -> None:
    if time.monotonic() > deadline:
        raise StoreError(f"Neo4j test server not ready at {handle.uri} after {timeout:.0f} s; "
                         f"{handle.log_path} ends:\n{handle.log_tail()}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text("utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
