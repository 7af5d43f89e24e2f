"""Reading report files: bytes → detected encoding → clean simplified text with metadata.

    src = read_report("data/samples/zhangshu_chambers.txt")
    src.text, src.title, src.date, src.source, src.authors

A file that cannot be read raises one ReportReadError naming it and the reason.
Strict UTF-8 is tried first because it is fast and almost never wrong; only
when it fails does charset-normalizer look at a bounded sample.
"""
from __future__ import annotations

import functools
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import opencc

from ..errors import ReportReadError
from ..graph.names import content_id
from .clean import fold_chars, kept_lines, markdown_to_text, strip_line
from .html_text import html_to_text
from .meta import find_meta

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class SourceText:
    path: str  # the file path as given
    id: str  # content_id(text)
    text: str  # cleaned, simplified: what the extractor reads
    original: str | None  # the cleaned text before traditional→simplified, when that kept every length
    encoding: str  # detected encoding; "" for text handed over as a string
    title: str
    date: str  # yyyy-mm-dd or ""
    source: str
    authors: tuple[str, ...]
    meta_spans: tuple[tuple[int, int], ...]  # offsets in `text` of metadata lines, not to be mined


# --------------------------------------------------------------------------- paths


def iter_report_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Report files under `paths`, sorted: directories are searched recursively (hidden ones
    skipped) for REPORT_SUFFIXES; files named outright are kept whatever their suffix."""
    found: set[Path] = set()
    for path in map(Path, paths):
        found.update(_reports_under(path) if _is_dir(path) else [path])
    return sorted(found)


@dataclass
class ReportListing:
    """The report files under some paths (absolute path strings, sorted), the folders among
    those paths, and the stat taken of each file named outright (to tell it from a folder)."""
    files: list[str]
    folders: list[str]
    stats: dict[str, os.stat_result]


def report_files(paths: Iterable[str | Path]) -> ReportListing:
    """The report files under `paths` as iter_report_paths finds them, as absolute path strings.
    For a refresh, which may name ten thousand files outright: making Path objects of them, and
    sorting those, cost a fifth of a change; the stats kept spare the caller a second stat of
    each file (50 ms a pass over 10,000)."""
    found: set[str] = set()
    listing = ReportListing([], [], {})
    for path in paths:
        st = _stat(path)
        if stat.S_ISDIR(st.st_mode):
            listing.folders.append(str(path))
            found.update(os.path.abspath(p) for p in _reports_under(Path(path)))
        else:
            found.add(os.path.abspath(path))
            listing.stats[os.path.abspath(path)] = st
    listing.files = sorted(found)
    return listing


def _is_dir(path: str | Path) -> bool:
    return stat.S_ISDIR(_stat(path).st_mode)  # one stat per path


def _stat(path: str | Path) -> os.stat_result:
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise ReportReadError(path, "no such file or directory") from None
    except (OSError, ValueError) as exc:  # e.g. a NUL inside the path
        raise ReportReadError(path, f"not a usable path: {exc}") from None


def _reports_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*")
            if p.suffix.lower() in REPORT_SUFFIXES and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)]


# --------------------------------------------------------------------------- bytes → str

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),  # before UTF-16: its BOM starts the same way
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_SAMPLE = 64 * 1024
# The largest report read. News reports run to tens of KB; a file past this is almost surely
# not one (a log, a dump, a whole site saved as one page), and would hold a worker for minutes.
MAX_REPORT_BYTES = 16 << 20
_NUL_SHARE_MAX = 0.10  # more NUL bytes than this is binary (or UTF-16 without a BOM)
_CONTROL_SHARE_MAX = 0.10
# Only the Chinese legacy encodings: any even run of bytes "decodes" as UTF-16, so BOM-less
# UTF-16 is recognised by its NUL bytes instead (_utf16_without_bom).
_DETECTABLE = ["gb18030", "big5", "cp950", "big5hkscs"]
_FAMILY = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "hz": "gb18030",
           "cp950": "big5", "big5hkscs": "big5", "utf_16": "utf-16", "utf_32": "utf-32"}
_SIBLINGS = {"big5": ["big5", "cp950", "big5hkscs"], "gbk": ["gb18030"], "gb2312": ["gb18030"]}
# Outside CJK ideographs, ASCII, Latin-1 and the punctuation blocks: rare in a Chinese report.
_UNLIKELY = re.compile(r"[^\u4e00-\u9fff\u3400-\u4dbf\t\n\r\u0020-\u007e\u00a0-\u00ff"
                       r"\u2010-\u206f\u3000-\u303f\uff00-\uffef]")
_UNLIKELY_SHARE_MAX = 0.05
_SHORT = 1024  # below this many bytes the detector's guess gets a second opinion
_EVERYDAY = {"gb18030": ("gb2312", 0xB0A1, 0xD7FE), "big5": ("big5", 0xA440, 0xC67E)}
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")


def decode_report(raw: bytes, path: str | Path) -> tuple[str, str]:
    """The text of a report's bytes and the encoding it was in; ReportReadError when it is not text."""
    if not raw:
        raise ReportReadError(path, "empty file")
    decoded = _decode_with_bom(raw, path)
    if decoded is None:
        decoded = _decode_without_bom(raw, path)
    _refuse_control_heavy(decoded[0], path)
    return decoded


def _decode_with_bom(raw: bytes, path) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ReportReadError(path, f"starts with a {encoding} byte-order mark but byte "
                                            f"{exc.start} does not decode as {encoding}") from None
    return None


def _decode_without_bom(raw: bytes, path) -> tuple[str, str]:
    for signature, kind in _SIGNATURES:
        if raw.startswith(signature):
            raise ReportReadError(path, f"binary file ({kind}), not a text report")
    sample = raw[:_SAMPLE]
    nul_share = sample.count(0) / len(sample)
    if nul_share > _NUL_SHARE_MAX:
        decoded = _utf16_without_bom(raw, sample)
        if decoded is None:
            raise ReportReadError(path, f"binary file ({nul_share:.0%} of the first bytes are NUL), "
                                        "not a text report")
        return decoded
    # A NUL byte is never part of a UTF-8, GB18030 or Big5 character: stray ones just go.
    try:
        return raw.replace(b"\x00", b"").decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    decoded = _utf16_without_bom(raw, sample) if nul_share else None
    return decoded or _detect(raw.replace(b"\x00", b""), first_bad, path)


def _utf16_without_bom(raw: bytes, sample: bytes) -> tuple[str, str] | None:
    """UTF-16 text has nearly all its NUL bytes (the high half of ASCII characters; a few
    ideographs end in one too) on one side of each byte pair, and decodes to mostly Chinese
    and ASCII; binary data does neither."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    encoding = "utf-16-le" if even * 10 < odd else "utf-16-be" if odd * 10 < even else ""
    if not encoding or len(raw) % 2:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    head = text[:_SAMPLE]
    return (text, encoding) if len(_UNLIKELY.findall(head)) <= _UNLIKELY_SHARE_MAX * len(head) else None


def _detect(raw: bytes, first_bad: int, path) -> tuple[str, str]:
    """Ask charset-normalizer about the bytes around the first one that is not UTF-8, then
    confirm its guess on the whole file."""
    start = raw.rfind(b"\n", max(0, first_bad - 4096), first_bad) + 1
    sample = raw[start:start + _SAMPLE]
    guesses = _guesses(sample, complete=start + _SAMPLE >= len(raw))
    if len(raw) <= _SHORT:
        guesses = [*_by_everyday_characters(raw), *guesses]
    for encoding in dict.fromkeys([*guesses, "gb18030", "big5", "cp950"]):
        try:
            return raw.decode(encoding), _FAMILY.get(encoding, encoding.replace("_", "-"))
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReportReadError(path, f"cannot decode: byte {first_bad} is not UTF-8, "
                                "and neither GB18030 nor Big5 fits the file")


def _guesses(sample: bytes, complete: bool) -> list[str]:
    """Encodings charset-normalizer finds for the sample, likeliest first.

    A sample cut out of a file may end inside a character, and the detector then
    rejects every encoding, so a cut sample is retried a byte or three shorter.
    """
    import charset_normalizer  # only files that are not UTF-8 need it: kept out of start-up (~10 ms)
    for trim in range(1 if complete else 4):
        matches = charset_normalizer.from_bytes(sample[:len(sample) - trim], cp_isolation=_DETECTABLE)
        if matches:
            found = [m.encoding for m in matches]
            return [e for name in found for e in _SIBLINGS.get(name, [name])]
    return []


def _by_everyday_characters(raw: bytes) -> list[str]:
    """GB18030 and Big5, whichever reads the bytes as more everyday characters first.

    A few characters give the detector too little to go on: GBK 工商联 is valid Big5 too.
    Real text is mostly each encoding's common block (GB2312 level 1, Big5 常用字),
    a misreading mostly is not.
    """
    scores = {}
    for encoding, (charset, low, high) in _EVERYDAY.items():
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        wide = [c for c in text if ord(c) > 0x7F]
        everyday = sum(1 for c in wide if low <= _code(c, charset) <= high)
        scores[encoding] = everyday / len(wide) if wide else 0.0
    return sorted(scores, key=lambda e: -scores[e])  # stable: a tie keeps GB18030 first


def _code(char: str, charset: str) -> int:
    try:
        return int.from_bytes(char.encode(charset), "big")
    except UnicodeEncodeError:
        return -1


def _refuse_control_heavy(text: str, path) -> None:
    sample = text[:_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > _CONTROL_SHARE_MAX:
        raise ReportReadError(path, f"binary file ({controls} control characters in the first "
                                    f"{len(sample)}), not a text report")


# --------------------------------------------------------------------------- str → SourceText

_LETTER = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")  # the package carries its dictionaries: nothing is fetched


def read_report(path: str | Path) -> SourceText:
    """Read, decode and clean one report file. Raises ReportReadError naming the file."""
    raw = _read_bytes(path)
    text, encoding = decode_report(raw, path)
    return _build(text, str(path), encoding, _kind(Path(path).name, text))


def read_text(raw: str, path: str = "<text>") -> SourceText:
    """The same pipeline for text already decoded; `path` names it in errors and picks the format."""
    return _build(raw, str(path), "", _kind(str(path), raw))


def _read_bytes(path: str | Path) -> bytes:
    try:
        target = Path(path)
        if target.is_dir():
            raise ReportReadError(path, "is a directory, not a report file")
        with target.open("rb") as file:
            raw = file.read(MAX_REPORT_BYTES + 1)  # no more: the file may be huge
    except FileNotFoundError:
        raise ReportReadError(path, "no such file") from None
    except OSError as exc:
        raise ReportReadError(path, f"cannot be read: {exc.strerror or exc}") from None
    except ValueError as exc:  # e.g. a NUL inside the path
        raise ReportReadError(path, f"not a usable path: {exc}") from None
    if len(raw) > MAX_REPORT_BYTES:
        raise ReportReadError(path, f"larger than {MAX_REPORT_BYTES / 2**20:g} MB, too large for a report; "
                                    "split it, or leave it out")
    return raw


def _kind(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    head = text[:200].lstrip("\ufeff \t\r\n").lower()
    return "html" if head.startswith(("<!doctype html", "<html")) else "text"


def _strip_markup(raw: str, kind: str) -> tuple[str, str]:
    if kind == "html":
        return html_to_text(raw)
    if kind == "markdown":
        return markdown_to_text(raw)
    return raw, ""


def _to_simplified(lines: list[str]) -> tuple[list[str], list[str] | None]:
    """Lines in simplified characters, and the lines before conversion when it changed
    characters one for one (so offsets in one are offsets in the other)."""
    joined = "\n".join(lines)
    converted = _t2s().convert(joined)
    if converted == joined:
        return lines, None
    simple = converted.split("\n")
    aligned = len(simple) == len(lines) and all(len(a) == len(b) for a, b in zip(simple, lines))
    return simple, (lines if aligned else None)


def _build(raw: str, path: str, encoding: str, kind: str) -> SourceText:
    if not raw:
        raise ReportReadError(path, "empty file")
    if not raw.strip():
        raise ReportReadError(path, "whitespace only")
    body, title_hint = _strip_markup(raw, kind)
    lines = [strip_line(line) for line in fold_chars(body).split("\n")]
    simple, before = _to_simplified(lines)
    keep = kept_lines(simple)
    text = "\n".join(simple[i] for i in keep)
    _refuse_empty(text, raw, path)
    original = None if before is None else "\n".join(before[i] for i in keep)
    meta = find_meta(text, _t2s().convert(fold_chars(title_hint)))
    return SourceText(path=path, id=content_id(text), text=text,
                      original=None if original == text else original, encoding=encoding, title=meta.title, date=meta.date, source=meta.source,
                      authors=meta.authors, meta_spans=meta.spans)


def _refuse_empty(text: str, raw: str, path: str) -> None:
    if not text.strip():
        if not fold_chars(raw).strip():
            raise ReportReadError(path, "whitespace only (after removing invisible characters)")
        raise ReportReadError(path, "no text left after removing markup and page clutter")
    if not _LETTER.search(text):
        raise ReportReadError(path, "no Chinese characters or letters: only punctuation, digits or symbols")
