"""Extraction quality on the real seed reports must stay above the floors
(entity F1 0.85, relation F1 0.60), measured by the shared scorer."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from ufgraph.loaders.pipeline import extract_path, write_document

ENTITY_FLOOR = 0.85
RELATION_FLOOR = 0.60


def _scorer(seeds_dir: Path):
    path = seeds_dir.parent / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("shared_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.seeds
def test_seed_reports_score_above_the_floors(seeds_dir, tmp_path, capsys):
    for report in sorted(seeds_dir.glob("*.txt")):
        write_document(extract_path(report), tmp_path, report.stem)
    score = _scorer(seeds_dir)
    score.main([str(seeds_dir.parent / "eval" / "gold"), str(tmp_path), "--json"])
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["entities"]["f1"] >= ENTITY_FLOOR, summary["entities"]
    assert summary["relations"]["f1"] >= RELATION_FLOOR, summary["relations"]
