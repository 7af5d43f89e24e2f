"""Malformed and hostile report files through `ufgraph refresh` on both stores.

A folder of good reports is refreshed first; then the files of
tests/hostile_corpus.py join it and the folder is refreshed again, as a real
`ufgraph refresh` process. Each unreadable file must be named in one line,
each readable one extracted, the exit status must be 1, no traceback may
show, and the store must hold its earlier graph plus exactly what the
readable files add (the graph of a fresh refresh of those files alone).
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from document_sets import as_sets
from hostile_corpus import (BIG_BYTES, FAILS, HOSTILE_NAMES, READS, corpus_outcomes, report,
                            write_hostile_corpus)
from ufgraph.graph import config
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.model import GraphDocument
from ufgraph.graph.refresh import refresh
from ufgraph.loaders.read import read_report

PIPELINE_BIG_BYTES = 2**20  # the extractor reads about 0.5 MB/s; the 12 MB file has its own test
GOOD_REPORTS = 6
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
STORES = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


# ---------------------------------------------------------------- helpers shared with test_faults, test_leaks

def neo4j_env(server) -> dict[str, str]:
    return {"NEO4J_URI": server.uri, "NEO4J_USERNAME": server.user, "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database or ""}


def store_env(kind: str, server=None) -> dict[str, str]:
    """The environment of a `ufgraph` process using `kind`; no NEO4J_* leaks in for the embedded store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return {**env, **(neo4j_env(server) if kind == "neo4j" else {})}


def ufgraph_command(*args) -> list[str]:
    return [sys.executable, "-m", "ufgraph", *map(str, args)]


def run_refresh_process(paths, data: Path, kind: str, server=None, jobs: int = 2, timeout: float = 600):
    """`ufgraph refresh PATHS --store KIND` as a real process; the CompletedProcess."""
    args = ufgraph_command("refresh", *paths, "--data-dir", data, "--store", kind, "--jobs", jobs)
    return subprocess.run(args, capture_output=True, text=True, env=store_env(kind, server), timeout=timeout)


def open_store(kind: str, data: Path, server=None):
    settings = None
    if kind == "neo4j":
        settings = {"uri": server.uri, "user": server.user, "password": server.password,
                    "database": server.database}
    return config.open_store(kind, data, settings)


def read_store(kind: str, data: Path, server=None) -> GraphDocument:
    with open_store(kind, data, server) as store:
        return store.read()


def empty_neo4j(server) -> None:
    with open_store("neo4j", Path("."), server) as store:
        store._write("empty the database", lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())


def facts(doc: GraphDocument):
    """Reports, nodes and edges by name rather than id: a person's id moves with their reports."""
    names = {n.id: (n.type, n.name) for n in doc.nodes}
    return ({r.id for r in doc.reports}, set(names.values()),
            {(names[e.source], e.type, names[e.target]) for e in doc.edges})


def write_good_reports(folder: Path, count: int = GOOD_REPORTS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"good_{i:02d}.txt" for i in range(count)]
    for i, path in enumerate(paths):
        path.write_text(report(i + 10), "utf-8")
    return paths


# ---------------------------------------------------------------- one run per store

@dataclass
class HostileRun:
    folder: Path
    outcomes: dict[str, str]
    before: GraphDocument
    after: GraphDocument
    process: subprocess.CompletedProcess

    def path(self, name: str) -> str:
        return os.path.abspath(self.folder / name)

    def lines_naming(self, name: str) -> list[str]:
        return [line for line in self.process.stdout.splitlines() if self.path(name) in line]


@pytest.fixture(scope="module")
def reports_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "reports"
    good = write_good_reports(folder)
    return folder, good


@pytest.fixture(scope="module")
def expected(reports_folder, tmp_path_factory):
    """The graph of a fresh refresh of the good reports and the readable hostile files only."""
    folder, good = reports_folder
    outcomes = corpus_outcomes()
    readable = [*good, *(folder / name for name, outcome in outcomes.items() if outcome == READS)]
    data = tmp_path_factory.mktemp("expected")
    _ensure_corpus(folder)
    with EmbeddedStore(config.embedded_store_dir(data)) as store:
        summary = refresh(readable, store, data, jobs=2)
        assert summary.ok, summary.failed
        return store.read()


def _ensure_corpus(folder: Path) -> dict[str, str]:
    return write_hostile_corpus(folder, big_bytes=PIPELINE_BIG_BYTES)


@pytest.fixture(scope="module", params=STORES)
def hostile_run(request, reports_folder, tmp_path_factory, expected) -> HostileRun:
    kind = request.param
    server = request.getfixturevalue("neo4j_server") if kind == "neo4j" else None
    if server:
        empty_neo4j(server)
    folder, good = reports_folder
    data = tmp_path_factory.mktemp(f"data-{kind}")
    first = run_refresh_process(good, data, kind, server)
    assert first.returncode == 0, first.stdout + first.stderr
    before = read_store(kind, data, server)
    outcomes = _ensure_corpus(folder)
    process = run_refresh_process([folder], data, kind, server)
    return HostileRun(folder, outcomes, before, read_store(kind, data, server), process)


# ---------------------------------------------------------------- the tests

def test_the_corpus_covers_what_the_issue_lists():
    outcomes = corpus_outcomes()
    assert {FAILS, READS} == set(outcomes.values())
    for name in ("empty.txt", "whitespace.txt", "random_bytes.txt", "png_renamed.txt", "punctuation_only.txt"):
        assert outcomes[name] == FAILS
    for name in ("nul_inside.txt", "utf16_bom.txt", "gb18030.txt", "big5.txt", "utf8_bom.txt", "big_report.txt",
                 "long_line.txt", "zero_width.txt", "unclosed.html", "crlf.txt"):
        assert outcomes[name] == READS
    assert all(outcomes[f"hostile_{key}.txt"] == READS for key in HOSTILE_NAMES)


def test_the_corpus_is_the_same_every_time(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_hostile_corpus(a, big_bytes=4096)
    write_hostile_corpus(b, big_bytes=4096)
    assert {p.name: p.read_bytes() for p in a.iterdir()} == {p.name: p.read_bytes() for p in b.iterdir()}


@pytest.mark.parametrize("name", sorted(corpus_outcomes()))
def test_each_file_is_refused_in_one_line_or_read(hostile_run, name):
    lines = hostile_run.lines_naming(name)
    reports = {r.path for r in hostile_run.after.reports}
    if hostile_run.outcomes[name] == FAILS:
        assert len(lines) == 1, hostile_run.process.stdout
        assert lines[0].strip().startswith(f"failed: {hostile_run.path(name)}: ")
        assert len(lines[0].split(f"{hostile_run.path(name)}: ", 1)[1]) > 5  # a reason follows the name
        assert hostile_run.path(name) not in reports
    else:
        assert lines == [], f"a readable file reported: {lines}"
        assert hostile_run.path(name) in reports


def test_the_run_fails_clearly_without_a_traceback(hostile_run):
    process = hostile_run.process
    assert process.returncode == 1
    assert "Traceback" not in process.stdout + process.stderr
    assert process.stderr == ""  # everything said is in the summary on stdout
    failed = [line for line in process.stdout.splitlines() if line.strip().startswith("failed: ")]
    assert len(failed) == list(hostile_run.outcomes.values()).count(FAILS)


def test_the_store_keeps_what_it_held_and_adds_exactly_what_was_readable(hostile_run, expected):
    before, after = facts(hostile_run.before), facts(hostile_run.after)
    assert all(b <= a for b, a in zip(before, after))
    assert as_sets(hostile_run.after) == as_sets(expected)


def test_hostile_strings_are_kept_as_plain_text(hostile_run):
    titles = {r.title for r in hostile_run.after.reports}
    names = {n.name for n in hostile_run.after.nodes}
    sentences = {e.sentence for n in hostile_run.after.nodes for e in n.evidence}
    for hostile in HOSTILE_NAMES.values():
        assert any(hostile in title for title in titles), hostile
        assert any(hostile in sentence for sentence in sentences), hostile
        # Names lose their spaces (as every name does) and nothing else.
        assert any(hostile.replace(" ", "") in name for name in names), hostile


def test_zero_width_characters_never_reach_a_name(hostile_run):
    zero_width_report = next(r.id for r in hostile_run.after.reports if r.path == hostile_run.path("zero_width.txt"))
    assert not [n.name for n in hostile_run.after.nodes if set(n.name + "".join(n.aliases)) & set(ZERO_WIDTH)]
    people = {n.name for n in hostile_run.after.nodes if zero_width_report in n.reports and n.type == "Person"}
    assert "滕若溪" in people


def test_encodings_give_the_text_they_encode(hostile_run):
    titles = {Path(r.path).name: r.title for r in hostile_run.after.reports}
    for name, i in (("utf16_bom.txt", 4), ("gb18030.txt", 3), ("big5.txt", 2), ("utf8_bom.txt", 5),
                    ("crlf.txt", 0), ("nul_inside.txt", 1)):
        assert titles[name] == report(i).splitlines()[0], name


# ---------------------------------------------------------------- the 12 MB file, read only

def test_the_12_mb_report_is_read_whole(tmp_path):
    write_hostile_corpus(tmp_path)
    path = tmp_path / "big_report.txt"
    assert path.stat().st_size > BIG_BYTES - 4096
    src = read_report(path)
    paragraph = report(3).splitlines()[2]
    assert src.text.count(paragraph) == BIG_BYTES // len(report(3).encode("utf-8"))
    assert src.title == report(3).splitlines()[0] and src.encoding == "utf-8"


def test_a_page_without_a_closing_head_tag_keeps_its_body(tmp_path):
    page = tmp_path / "no_head_end.html"
    page.write_text("<html><head><title>梧州市汽配商会理事会</title><body><p>" + report(2).replace("\n", "<p>"),
                    "utf-8")
    assert "梧州市工商联主席阮望舒出席会议并讲话" in read_report(page).text
