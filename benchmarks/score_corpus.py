"""Extract a synthetic corpus and score it with the shared scorer.

    python benchmarks/score_corpus.py DIR [--by-type]

DIR is a folder written by corpus.py (reports/ and gold/). The predictions
go to DIR/pred/, one graph document per report, and
../shared/eval/score.py compares them with the gold files.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from ufgraph.loaders.pipeline import extract_path, write_document

SCORER = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "score.py"


def extract_corpus(corpus: Path) -> Path:
    """Write DIR/pred/<stem>.json for every report of the corpus; return DIR/pred."""
    pred = Path(corpus) / "pred"
    for path in sorted((Path(corpus) / "reports").glob("*.txt")):
        write_document(extract_path(path), pred, path.stem)
    return pred


def score(gold: Path, pred: Path, scorer: Path = SCORER, by_type: bool = False) -> dict | str:
    """The scorer's JSON summary (or its text table with `by_type`)."""
    if not scorer.is_file():
        raise FileNotFoundError(f"{scorer}: the shared scorer is missing")
    args = [sys.executable, str(scorer), str(gold), str(pred)] + (["--by-type"] if by_type else ["--json"])
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{scorer} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout if by_type else json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder written by corpus.py")
    parser.add_argument("--by-type", action="store_true", help="print the scorer's per-type table")
    args = parser.parse_args()
    pred = extract_corpus(args.corpus)
    result = score(args.corpus / "gold", pred, by_type=args.by_type)
    if args.by_type:
        print(result)
    else:
        for key in ("entities", "entities_untyped", "relations"):
            s = result["summary"][key]
            print(f"{key}: P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
