"""Build data/lexicon/wordcut.bin, jieba's word dictionary in a form that loads in milliseconds.

Run from the repository root with the project's virtualenv:

    .venv/bin/python scripts/build_wordcut.py
    .venv/bin/python scripts/build_wordcut.py --out /tmp/wordcut.bin

The source is the dictionary bundled with the `jieba` package (the version
pinned in pyproject.toml): every word with its frequency and part-of-speech
tag, taken from jieba's own loaded tables, so duplicate lines resolve as jieba
resolves them. jieba needs about a second to load it (and writes a cache file
to the temporary folder); loaders/wordcut.py reads this file instead, keeps
the words as one sorted list and answers jieba's prefix questions by binary
search. Same jieba, same bytes out; tests/test_extract_wordcut.py checks that
the committed file is what this script writes.

Layout: a JSON header line {"total", "tags", "words"}, then the words sorted
by code point and joined by newlines (UTF-8) with a closing newline, then one
little-endian uint32 frequency per word, then one byte per word indexing
"tags". Not compressed: git and wheels compress it anyway (5.1 MB, 1.8 MB
compressed), and decompressing would cost the loader a third of its time.
"""
from __future__ import annotations

import argparse
import json
import logging
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "lexicon" / "wordcut.bin"


def jieba_tables() -> tuple[dict[str, int], dict[str, str], int]:
    """(word → frequency, word → tag, total frequency) exactly as jieba loads them."""
    import jieba
    import jieba.posseg
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab, jieba.dt.total


def build(freq: dict[str, int], tags: dict[str, str], total: int) -> bytes:
    words = sorted(tags)
    _check(freq, words)
    tag_names = sorted(set(tags.values()))
    if len(tag_names) > 255:
        raise SystemExit(f"{len(tag_names)} tags do not fit in one byte")
    index = {t: k for k, t in enumerate(tag_names)}
    header = json.dumps({"total": total, "tags": tag_names, "words": len(words)}, ensure_ascii=False)
    body = b"".join([
        header.encode("utf-8") + b"\n",
        "\n".join(words).encode("utf-8"),
        b"\n",
        struct.pack(f"<{len(words)}I", *(freq[w] for w in words)),
        bytes(index[tags[w]] for w in words),
    ])
    return body


def _check(freq: dict[str, int], words: list[str]) -> None:
    """Every word jieba counts is listed, and every key it holds is a listed word or a prefix of one."""
    listed = set(words)
    missing = [w for w, f in freq.items() if f and w not in listed]
    if missing:
        raise SystemExit(f"words with a frequency but no tag: {missing[:5]}")
    if any("\n" in w for w in words):
        raise SystemExit("a word holds a line break")
    prefixes = {w[:k] for w in words for k in range(1, len(w) + 1)}
    if set(freq) != prefixes:
        raise SystemExit("jieba's prefix table is not the prefixes of its words")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = build(*jieba_tables())
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
