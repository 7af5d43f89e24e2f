"""`ufgraph doctor`: each check as ok/warn/fail, the store choice and why, Neo4j
reached for real (or not), and never a password in the output."""
from __future__ import annotations

import doctest
import json
import re
import socket

import pytest
from click.testing import CliRunner

from test_export import sample_doc
from ufgraph.cli import main
from ufgraph.graph import doctor
from ufgraph.graph.doctor import FAIL, OK, WARN, Check, Settings, exit_status, folder_size, run_checks
from ufgraph.graph.embedded import EmbeddedStore

SECRET = "doctor-test-secret-7f3a"
_LINE = re.compile(r"^\[\s*(ok|warn|fail)\] [a-z0-9 /]+: .+$")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _settings(data, store=None, uri=None, password=None, source="commandline") -> Settings:
    return Settings(store, data, source, {"uri": uri, "user": "neo4j", "password": password, "database": None})


def _by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def test_doctests():
    assert doctest.testmod(doctor, raise_on_error=True).attempted > 0


def test_a_fresh_setup_warns_but_does_not_fail(tmp_path):
    checks = _by_name(run_checks(_settings(tmp_path / "nothing-here"), slow=False))
    assert checks["store"].status == OK and "embedded (the default, as NEO4J_URI is not set)" in checks["store"].detail
    assert checks["data folder"].status == WARN and "does not exist yet" in checks["data folder"].detail
    assert checks["embedded store"].status == WARN
    assert checks["neo4j"].status == OK and "not configured" in checks["neo4j"].detail
    assert not (tmp_path / "nothing-here").exists()  # looking creates nothing
    assert exit_status(list(checks.values())) == 0


def test_a_built_embedded_store_is_counted_and_measured(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        store.replace(sample_doc())
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "r-1.json").write_text("{}", "utf-8")
    checks = _by_name(run_checks(_settings(tmp_path, store="embedded"), slow=False))
    assert checks["store"].detail == "embedded (--store embedded)"
    assert checks["embedded store"].status == OK and "13 nodes" in checks["embedded store"].detail
    assert checks["cache"].detail.endswith("1 report documents, 2 B")
    assert checks["data folder"].status == OK and "(--data-dir)" in checks["data folder"].detail
    assert folder_size(tmp_path) > folder_size(tmp_path / "store") > 0


def test_a_data_folder_that_is_a_file_fails(tmp_path):
    path = tmp_path / "file"
    path.write_text("x", "utf-8")
    checks = _by_name(run_checks(_settings(path, source="environment"), slow=False))
    assert checks["data folder"].status == FAIL and "(UFGRAPH_DATA_DIR) is a file" in checks["data folder"].detail


def test_unreachable_neo4j_fails_when_chosen_and_never_shows_the_password(tmp_path):
    uri = f"bolt://neo4j:{SECRET}@127.0.0.1:{_closed_port()}"
    checks = _by_name(run_checks(_settings(tmp_path, uri=uri, password=SECRET), slow=False))
    assert checks["store"].detail == "neo4j (NEO4J_URI is set)"
    assert checks["neo4j"].status == FAIL and "password set" in checks["neo4j"].detail
    assert exit_status(list(checks.values())) == 1
    assert SECRET not in "\n".join(c.line() for c in checks.values())
    # Neo4j configured but the embedded store chosen: only a warning.
    embedded = _by_name(run_checks(_settings(tmp_path, store="embedded", uri=uri, password=SECRET), slow=False))
    assert embedded["neo4j"].status == WARN


def test_neo4j_chosen_without_a_uri_fails(tmp_path):
    checks = _by_name(run_checks(_settings(tmp_path, store="neo4j"), slow=False))
    assert checks["neo4j"].status == FAIL and "needs NEO4J_URI" in checks["neo4j"].detail


def test_a_check_that_breaks_is_reported_not_raised(tmp_path, monkeypatch):
    def broken(settings):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(doctor, "check_cache", lambda data: broken(data))
    checks = run_checks(_settings(tmp_path), slow=False)
    assert any(c.status == FAIL and "RuntimeError: disk on fire" in c.detail for c in checks)


def test_slow_checks_report_java_maven_and_chromium(tmp_path):
    checks = _by_name(run_checks(_settings(tmp_path), slow=True))
    assert checks["java/maven"].status in (OK, WARN) and checks["chromium"].status in (OK, WARN)
    if checks["java/maven"].status == OK:
        assert re.search(r'version "\d+', checks["java/maven"].detail) and "Maven" in checks["java/maven"].detail
        assert "\x1b" not in checks["java/maven"].detail  # no terminal colour codes


def test_doctor_command_prints_one_line_per_check_and_exits_0_on_warnings(tmp_path):
    result = CliRunner().invoke(main, ["doctor", "--quick", "--data-dir", str(tmp_path / "new")],
                                env={"NEO4J_URI": "", "NEO4J_PASSWORD": SECRET})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 7 and all(_LINE.match(line) for line in lines), lines
    assert SECRET not in result.output


def test_doctor_command_json_has_no_password_and_exit_1_on_failure(tmp_path):
    env = {"NEO4J_URI": f"bolt://someone:{SECRET}@127.0.0.1:{_closed_port()}", "NEO4J_PASSWORD": SECRET,
           "UFGRAPH_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(main, ["doctor", "--quick", "--json"], env=env)
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert "password" not in report["settings"]["neo4j"] and SECRET not in result.output
    assert report["settings"]["neo4j"]["uri"].startswith("bolt://127.0.0.1:")
    assert report["settings"]["data_source"] == "environment"
    assert {c["status"] for c in report["checks"]} <= {OK, WARN, FAIL}
    assert any(c["name"] == "neo4j" and c["status"] == FAIL for c in report["checks"])


@pytest.mark.neo4j
def test_doctor_reaches_the_real_neo4j_and_names_its_version(tmp_path, neo4j_server, neo4j_driver):
    env = {"NEO4J_URI": neo4j_server.uri, "NEO4J_USERNAME": neo4j_server.user,
           "NEO4J_PASSWORD": neo4j_server.password, "NEO4J_DATABASE": neo4j_server.database}
    result = CliRunner().invoke(main, ["doctor", "--quick", "--data-dir", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    line = next(l for l in result.output.splitlines() if "] neo4j:" in l)
    assert line.startswith("[  ok]") and re.search(r"Neo4j Kernel 5\.\d+\.\d+", line), line
    assert "password set" in line and neo4j_server.password not in result.output
