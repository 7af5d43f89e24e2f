"""`ufgraph extract`: one graph document per report, JSON lines on stdout,
and unreadable files named without stopping the others."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ufgraph.cli import main

REPORT = "昆山市工商联召开执委会\n市工商联副主席孙丽华挂钩联系周市镇商会，实施“青蓝领航计划”。\n"


def _reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text(REPORT, encoding="utf-8")
    (folder / "gbk.txt").write_bytes(REPORT.replace("昆山", "太仓").encode("gbk"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "pic.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return folder


def test_extract_writes_one_document_per_readable_report_and_names_each_bad_file(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(_reports(tmp_path)), "--out", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["gbk.json", "good.json"]
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and any("empty.txt" in e for e in errors) and any("pic.txt" in e for e in errors)
    assert "Traceback" not in result.output
    doc = json.loads((out / "good.json").read_text(encoding="utf-8"))
    names = {n["name"] for n in doc["nodes"]}
    assert {"昆山市工商联", "孙丽华", "昆山市周市镇商会"} <= names
    assert all({"id", "type", "name", "aliases", "evidence"} <= set(n) for n in doc["nodes"])
    assert all({"source", "target", "type", "evidence"} <= set(e) for e in doc["edges"])


def test_extract_to_stdout_writes_json_lines(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.txt").write_text(REPORT.replace("昆山", "太仓"), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(folder), "--out", "-"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 2
    assert {d["reports"][0]["title"] for d in lines} == {"昆山市工商联召开执委会", "太仓市工商联召开执委会"}


def test_extract_names_a_missing_path(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "nope.txt" in result.output and "Traceback" not in result.output


def test_extract_output_pipes_into_viz_on_stdin_and_stdout(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    lines = CliRunner().invoke(main, ["extract", str(folder), "--out", "-"]).output
    result = CliRunner().invoke(main, ["viz", "--from-json", "-", "-o", "-"], input=lines)
    assert result.exit_code == 0, result.output
    assert result.output.lstrip().startswith("<!DOCTYPE html>")
    assert "孙丽华" in result.output
