"""From a decoded report to clean lines: characters folded, page debris dropped, Markdown out.

`markdown_to_text` turns Markdown into plain lines and gives a title hint
(HTML is html_text's job); `fold_chars` removes invisible characters and folds full-width
ASCII forms; `kept_lines` says which lines of a page survive the debris rules.
Every step is a single pass over the text, so a 10 MB report or a line of
400,000 characters costs linear time.
"""
from __future__ import annotations

import re

# --------------------------------------------------------------------------- characters

_INVISIBLE = "\x00\u200b\u200c\u200d\u2060\ufeff\u00ad"
_CONTROLS = "".join(map(chr, [*range(0x01, 0x09), 0x0E, 0x0F, *range(0x10, 0x20), 0x7F]))
_SPACES = "\t\u00a0\u3000\u202f\u205f" + "".join(map(chr, range(0x2000, 0x200B)))
_LINE_BREAKS = "\x0b\x0c\x85\u2028\u2029"


def _fold_table() -> dict[str, str]:
    """Each character that folds, and what it becomes ("" for one that is dropped)."""
    table = dict.fromkeys(_INVISIBLE + _CONTROLS + "\ufffd", "")
    table.update(dict.fromkeys(_SPACES, " "))
    table.update(dict.fromkeys(_LINE_BREAKS, "\n"))
    # Only the full-width forms of ASCII (！ … ～): 、。“”《》 and the rest of
    # Chinese punctuation have no ASCII twin and stay as they are.
    table.update({chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)})
    return table


_FOLD = _fold_table()
# One regex pass that calls back only where a character folds: str.translate looks up every
# character of a Chinese text in the table (4× slower on the synthetic corpus).
_FOLDED = re.compile("[%s]" % "".join(map(re.escape, sorted(_FOLD))))


def _folded(found: re.Match) -> str:
    return _FOLD[found.group()]


def fold_chars(text: str) -> str:
    """Drop invisible and control characters, fold full-width ASCII, make every line end LF."""
    return _FOLDED.sub(_folded, text.replace("\r\n", "\n").replace("\r", "\n"))


def strip_line(line: str) -> str:
    """A line without outer spaces and without the `|` borders a web table leaves behind."""
    return line.strip(" |")


# --------------------------------------------------------------------------- debris lines

_DEBRIS = re.compile(
    r"(?:[(\[【]?(?:字体|字号)[】\]]?\s*[:]?\s*(?:[|\s]*[大中小默认]){2,}"
    r"|(?:您的位置|您现在的位置|当前位置|所在位置|现在位置)\s*[:>]"
    r"|(?:关键词|关键字|标签)\s*[:]"
    r"|分享到|分享\s*[:]"
    r"|[(\[【]?\s*(?:责任编辑|责编)\s*[:]"
    r"|上一篇|下一篇)"
)
_BUTTON_WORDS = sorted(
    "打印 打印本页 打印此页 打印文章 关闭 关闭窗口 关闭本页 收藏 加入收藏 返回顶部 返回首页 返回 "
    "分享 扫一扫 微信 微博 朋友圈 QQ空间 复制链接 纠错 字体 大 中 小 默认".split(), key=len, reverse=True)
# A line made of nothing but page buttons: "【打印本页】【关闭窗口】", "字体 大 中 小".
_BUTTONS = re.compile(r"(?:[\s|【】\[\]()<>/]*(?:%s))+[\s|【】\[\]()<>/]*" % "|".join(_BUTTON_WORDS))
_RELATED = re.compile(r"(?:相关阅读|相关新闻|相关链接|相关文章|推荐阅读|延伸阅读)\s*[:]?")
_DEBRIS_MAX = 200  # debris lines are short; longer lines are text and skip the checks
_LINK_TITLE_MAX = 40


def is_debris(line: str) -> bool:
    """A line of web-page furniture: breadcrumbs, font switches, share and print buttons, …"""
    if not line or len(line) > _DEBRIS_MAX:
        return False
    return _DEBRIS.match(line) is not None or _BUTTONS.fullmatch(line) is not None


def _is_link_title(line: str) -> bool:
    return len(line) <= _LINK_TITLE_MAX and "。" not in line


def kept_lines(lines: list[str]) -> list[int]:
    """Indices of the lines to keep: debris dropped, no blank line at either end or twice in a row.

    After a 相关阅读 heading, the short link titles that follow it go too.
    """
    keep: list[int] = []
    in_related = False
    for i, line in enumerate(lines):
        if in_related and (not line or _is_link_title(line)):
            continue
        in_related = bool(line) and len(line) <= _DEBRIS_MAX and _RELATED.fullmatch(line) is not None
        if in_related or is_debris(line):
            continue
        if line or (keep and lines[keep[-1]]):
            keep.append(i)
    while keep and not lines[keep[-1]]:
        keep.pop()
    return keep


# --------------------------------------------------------------------------- markdown

_MD_DROP = re.compile(
    r"\s*(?:(?:```|~~~).*"                      # code fences
    r"|([-*_=])(?:\s*\1){2,}"                    # rules and setext underlines
    r"|\[[^\]\n]+\]:\s*\S+.*"                   # reference definitions
    r"|\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?)\s*"  # table separator rows
)
_MD_HEADING = re.compile(r" {0,3}#{1,6}\s*(.*?)(?:\s+#+)?\s*")
_MD_PREFIX = re.compile(r"\s*(?:(?:>\s?)+|(?:[-*+]|\d{1,3}[.)])\s+)")
# Character classes stop at the next opening mark, so unmatched marks cost one scan, not many.
_MD_INLINE = [
    (re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)"), ""),
    (re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]\n]*)\]\[[^\[\]\n]*\]"), r"\1"),
    (re.compile(r"<(?:https?|mailto):[^<>\s]*>"), ""),
    (re.compile(r"</?[A-Za-z][^<>\n]*>"), ""),
    (re.compile(r"(\*{1,3}|_{1,3}|~~)(?=\S)([^*_~\n]+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"`([^`\n]*)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),
]


def _md_inline(line: str) -> str:
    for pattern, repl in _MD_INLINE:
        line = pattern.sub(repl, line)
    return line


def _md_line(line: str) -> tuple[str, bool]:
    """One markdown line as plain text, and whether it was a heading."""
    if _MD_DROP.fullmatch(line):
        return "", False
    heading = _MD_HEADING.fullmatch(line)
    if heading:
        return _md_inline(heading.group(1)), True
    prefix = _MD_PREFIX.match(line)
    if prefix:
        line = line[prefix.end():]
    if line.lstrip().startswith("|"):
        line = line.strip().strip("|").replace("|", " ")
    return _md_inline(line), False


def markdown_to_text(raw: str) -> tuple[str, str]:
    """Markdown without its markup (headings, emphasis, links → their text); and the first heading."""
    out, title = [], ""
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        text, is_heading = _md_line(line)
        if is_heading and not title:
            title = text.strip()
        out.append(text)
    return "\n".join(out), title
