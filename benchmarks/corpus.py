"""A synthetic corpus of Chinese reports with the gold graph of each.

    python benchmarks/corpus.py --n 1000 --seed 7 --out DIR

writes DIR/reports/NNNNNN.txt and DIR/gold/NNNNNN.json (the gold format of
shared/eval/README.md), so shared/eval/score.py measures extraction on it:

    python ../shared/eval/score.py DIR/gold PRED_DIR

The reports are rendered from the sentence templates in
benchmarks/templates/ (facts.tpl states what each sentence asserts) over
invented bodies and people in real localities (corpus_world.py). Report i
depends only on (seed, i): the same seed gives the same bytes, and the first
1,000 reports of a 10,000-report corpus are the 1,000-report corpus.
Localities are drawn with a long tail, so some recur in many reports and
their federations, chambers and office holders recur with them.
"""
from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import random
import sys
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_report import ReportWriter  # noqa: E402
from corpus_templates import read_facts, read_list  # noqa: E402
from corpus_world import Division, localities, person_name, province_of, world  # noqa: E402

from ufgraph.errors import UfgraphError  # noqa: E402

SECTIONS = (2, 4)  # headed sections per report
PARAGRAPHS = (2, 3)  # paragraphs per section
SENTENCES = (3, 5)  # sentences per paragraph
NOISE_SHARE = 0.25  # sentences that state no fact


@lru_cache(maxsize=8)
def _locality_weights(seed: int) -> tuple[tuple[Division, ...], list[float]]:
    """Localities in a seeded order with Zipf-like weights: a few recur often, most rarely."""
    order = list(localities())
    random.Random(f"{seed}:localities").shuffle(order)
    weights = list(itertools.accumulate(1 / (rank + 10) ** 0.9 for rank in range(len(order))))
    return tuple(order), weights


def generate_report(seed: int, index: int) -> tuple[str, dict]:
    """Report `index` of the corpus of `seed`: its text and its gold graph."""
    rng = random.Random(f"{seed}:report:{index}")
    order, weights = _locality_weights(seed)
    place = rng.choices(order, cum_weights=weights)[0]
    writer = ReportWriter(world(seed, place.code), rng)
    lines = _head(writer, place)
    indent = rng.choice(("", "　　", "    "))
    lines.append(indent + writer.fact(_fact("lead")) + _sentences(writer, rng.randint(1, 2), first="post_ufd_fed"))
    for _ in range(rng.randint(*SECTIONS)):
        lines += ["", indent + rng.choice(read_list("heading")), ""]
        lines += [indent + _sentences(writer, rng.randint(*SENTENCES)) for _ in range(rng.randint(*PARAGRAPHS))]
    lines += ["", indent + writer.fact(_fact("closing"))]
    name = f"{index:06d}.txt"
    return "\n".join(lines) + "\n", writer.gold.to_dict(name)


def _fact(name: str):
    return read_facts()[name]


def _head(writer: ReportWriter, place: Division) -> list[str]:
    """Headline, date and edition line, and (in half the reports) a byline."""
    rng = writer.rng
    date = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    lines = [writer.fact(_fact("headline")), "",
             f"{date} 第{rng.randint(1, 12):02d}版:{rng.choice(read_list('column'))}"]
    if rng.random() < 0.5:
        outlet = province_of(place).short + rng.choice(read_list("newspaper_tail"))
        lines.append(f"作者: 本报记者 {person_name(rng)} 来源:{outlet}")
    return lines + [""]


def _sentences(writer: ReportWriter, count: int, first: str | None = None) -> str:
    """A paragraph: `count` sentences, most stating a fact, some noise."""
    out = []
    if first:
        out.append(writer.fact(_fact(first)))
        writer.told.add(first)
    while len(out) < count + bool(first):
        facts = [f for f in read_facts().values() if f.weight > 0 and f.name not in writer.told]
        if writer.rng.random() < NOISE_SHARE or not facts:
            out.append(_noise(writer))
            continue
        fact = writer.rng.choices(facts, [f.weight for f in facts])[0]
        sentence = writer.fact(fact)
        if sentence is not None:
            writer.told.add(fact.name)  # one sentence per pattern and report, as a writer would vary them
            out.append(sentence)
    return "".join(out)


def _noise(writer: ReportWriter) -> str:
    """A sentence stating no fact, not one this report has used already."""
    fresh = [n for n in read_list("noise") if n not in writer.told] or list(read_list("noise"))
    template = writer.rng.choice(fresh)
    writer.told.add(template)
    return writer.fill(template)


def write_corpus(out: Path, n: int, seed: int, start: int = 0, jobs: int = 1) -> list[str]:
    """Write reports start..start+n-1 and their gold files under `out`; return the file stems.

    With jobs > 1 the reports are written by that many processes; the bytes are the same.
    """
    for sub in ("reports", "gold"):
        (Path(out) / sub).mkdir(parents=True, exist_ok=True)
    indices = range(start, start + n)
    if jobs > 1 and n > 1:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_write_one, [(Path(out), seed, i) for i in indices], chunksize=64)
    return [_write_one((Path(out), seed, i)) for i in indices]


def _write_one(task: tuple[Path, int, int]) -> str:
    out, seed, index = task
    text, graph = generate_report(seed, index)
    stem = f"{index:06d}"
    (out / "reports" / f"{stem}.txt").write_text(text, encoding="utf-8")
    (out / "gold" / f"{stem}.json").write_text(json.dumps(graph, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return stem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus of reports with gold graphs.")
    parser.add_argument("--n", type=int, default=1000, help="number of reports (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--start", type=int, default=0, help="index of the first report (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (reports/ and gold/ inside)")
    parser.add_argument("--jobs", type=int, default=1, help="processes writing reports (default 1)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.start < 0 or args.jobs < 1:
        parser.error("--n and --jobs must be at least 1, --start at least 0")
    try:
        write_corpus(args.out, args.n, args.seed, args.start, args.jobs)
    except OSError as exc:
        parser.exit(1, f"corpus: cannot write to {args.out}: {exc.strerror}\n")
    except UfgraphError as exc:  # a malformed template file
        parser.exit(1, f"corpus: {exc}\n")
    print(f"wrote {args.n} reports and gold files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
