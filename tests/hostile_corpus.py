"""Malformed and hostile report files, written on demand (nothing here is a committed blob).

    python tests/hostile_corpus.py OUT_DIR [--big-mb 12]

    outcomes = write_hostile_corpus(folder)   # {file name: "fails" | "reads"}

"fails" files must be refused with one clear error each (empty, binary, no
letters); "reads" files must be read and extracted whatever their encoding,
size, line shape or markup. Names and people are invented; the places are
real cities of Guangxi, which the seed reports do not mention. The hostile
strings sit inside otherwise ordinary report sentences: in a company name, a
quoted programme, a 《》 document (the extractor keeps those two whole) and
the title, so they reach names, evidence and report properties.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

FAILS, READS = "fails", "reads"
BIG_BYTES = 12 * 2**20
LONG_LINE_CHARS = 400_000
SEED = 20240611

# Strings that would break out of a Cypher literal, a query, an HTML attribute or a script.
HOSTILE_NAMES = {
    "quote": "鼎信'}) DETACH DELETE n //",
    "dquote": 'say"hi"',
    "brace": "云}{帆",
    "slashes": "甲//乙",
    "detach": "MATCH (n) DETACH DELETE n",
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
}
# A file name a report folder could hold: quotes, markup and a Cypher comment.
HOSTILE_FILE_NAME = "name_<img src=x onerror=alert(1)>'\"}{ --.txt"

CITIES = ["柳州市", "桂林市", "梧州市", "钦州市", "玉林市", "贺州市"]
PEOPLE = ["郝明哲", "滕若溪", "阮望舒", "聂清和", "蒲嘉树", "喻启航"]


def report(i: int, extra: str = "") -> str:
    """An ordinary report: a chamber meeting with a chair, a president and a signed agreement."""
    city = CITIES[i % len(CITIES)]
    chamber = f"{city}汽配商会"
    return (f"{chamber}召开第{i + 2}届理事会\n"
            f"2023年{i % 12 + 1}月{i % 27 + 1}日 来源：测试晚报\n"
            f"{city}工商联主席{PEOPLE[i % 6]}出席会议并讲话。{chamber}会长{PEOPLE[(i + 1) % 6]}作工作报告。\n"
            f"会上，{chamber}与{city}鼎新科技有限公司签订合作协议。{extra}\n")


def hostile_report(i: int, name: str) -> str:
    """A normal report with `name` in its title, a company, a quoted programme and a 《》 document."""
    city = CITIES[i % len(CITIES)]
    return (f"{city}汽配商会发布{name}倡议\n"
            f"2023年3月{i + 1}日 来源：测试晚报\n"
            f"3月{i + 1}日，{city}汽配商会与{name}有限公司签约。"
            f"{city}汽配商会发起“{name}领航计划”，并印发《{name}管理办法》。"
            f"{city}汽配商会会长{PEOPLE[i % 6]}出席签约仪式。\n")


def _traditional(text: str) -> str:
    import opencc  # Big5 holds traditional characters only

    return opencc.OpenCC("s2t").convert(text)


def _random_bytes() -> bytes:
    return random.Random(SEED).randbytes(4096)


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + random.Random(SEED + 1).randbytes(900)


def _with_nul_bytes() -> bytes:
    data = report(1).encode("utf-8")
    return b"\x00".join(data[i:i + 37] for i in range(0, len(data), 37))  # between characters only


def _long_line() -> str:
    # A run-on page with no punctuation at all: the extractor must bound its sentence work.
    words = "商会会员企业发展交流合作座谈调研走访服务"
    rng = random.Random(SEED + 2)
    return "无标点长行\n" + "".join(rng.choice(words) for _ in range(LONG_LINE_CHARS)) + "\n"


def _big(size: int) -> str:
    body = report(3)
    return body * max(1, size // len(body.encode("utf-8")))


def _zero_width() -> str:
    # Invisible characters inside a chamber's and a person's name; the name read is the clean one.
    return report(4).replace("汽配商会", "汽\u200b配\u200d商\ufeff会").replace(PEOPLE[4], "滕\u200c若\u2060溪")


def _unclosed_html() -> str:
    # Paragraphs, cells and boxes left open, a stray end tag, an attribute cut off at the end.
    return ("<html><head><title>梧州市汽配商会理事会</title></head><body><div class='article'><p>"
            + report(2).replace("\n", "<br><p>") + "</span><div><table><tr><td>会员<td>企业<div class=")


def _files(big_bytes: int) -> dict[str, tuple[bytes, str]]:
    """File name → (bytes, expected outcome)."""
    files = {
        "empty.txt": (b"", FAILS),
        "whitespace.txt": (" \t\r\n\u3000\n".encode("utf-8") * 50, FAILS),
        "random_bytes.txt": (_random_bytes(), FAILS),
        "png_renamed.txt": (_png(), FAILS),
        "punctuation_only.txt": ("，。！？；：“”《》（）、…—\n!?.,;:()[]{}\n".encode("utf-8") * 20, FAILS),
        "nul_inside.txt": (_with_nul_bytes(), READS),
        "utf16_bom.txt": (report(4).encode("utf-16"), READS),
        "gb18030.txt": (report(3).encode("gb18030"), READS),
        "big5.txt": (_traditional(report(2)).encode("big5"), READS),
        "utf8_bom.txt": (b"\xef\xbb\xbf" + report(5).encode("utf-8"), READS),
        "big_report.txt": (_big(big_bytes).encode("utf-8"), READS),
        "long_line.txt": (_long_line().encode("utf-8"), READS),
        "zero_width.txt": (_zero_width().encode("utf-8"), READS),
        "unclosed.html": (_unclosed_html().encode("utf-8"), READS),
        "crlf.txt": (report(0, "会议号召会员企业积极参与。").replace("\n", "\r\n").encode("utf-8"), READS),
        HOSTILE_FILE_NAME: (report(5, "会议要求各会员单位做好服务。").encode("utf-8"), READS),
    }
    for i, (key, name) in enumerate(HOSTILE_NAMES.items()):
        files[f"hostile_{key}.txt"] = (hostile_report(i, name).encode("utf-8"), READS)
    return files


def write_hostile_corpus(folder: str | Path, big_bytes: int = BIG_BYTES) -> dict[str, str]:
    """Write the hostile files into `folder`; return file name → "fails" or "reads".

    `big_bytes` sizes big_report.txt (12 MB by default; tests of the whole pipeline pass less).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = {}
    for name, (data, outcome) in _files(big_bytes).items():
        (folder / name).write_bytes(data)
        outcomes[name] = outcome
    return outcomes


def corpus_outcomes() -> dict[str, str]:
    """File name → "fails" or "reads", without writing anything (for test parameters)."""
    return {name: outcome for name, (_, outcome) in _files(4096).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write malformed and hostile report files.")
    parser.add_argument("out", type=Path, help="folder to write the files into")
    parser.add_argument("--big-mb", type=float, default=BIG_BYTES / 2**20, help="size of big_report.txt in MB")
    args = parser.parse_args(argv)
    for name, outcome in write_hostile_corpus(args.out, int(args.big_mb * 2**20)).items():
        print(f"{outcome}\t{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
