"""From a decoded report to clean lines: markup out, characters folded, page debris dropped.

`html_to_text` and `markdown_to_text` turn markup into plain lines and give a
title hint; `fold_chars` removes invisible characters and folds full-width
ASCII forms; `kept_lines` says which lines of a page survive the debris rules.
Every step is a single pass over the text, so a 10 MB report or a line of
400,000 characters costs linear time.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

# --------------------------------------------------------------------------- characters

_INVISIBLE = "\x00\u200b\u200c\u200d\u2060\ufeff\u00ad"
_CONTROLS = "".join(map(chr, [*range(0x01, 0x09), 0x0E, 0x0F, *range(0x10, 0x20), 0x7F]))
_SPACES = "\t\u00a0\u3000\u202f\u205f" + "".join(map(chr, range(0x2000, 0x200B)))
_LINE_BREAKS = "\x0b\x0c\x85\u2028\u2029"


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = dict.fromkeys(map(ord, _INVISIBLE + _CONTROLS + "\ufffd"), None)
    table.update({ord(c): " " for c in _SPACES})
    table.update({ord(c): "\n" for c in _LINE_BREAKS})
    # Only the full-width forms of ASCII (！ … ～): 、。“”《》 and the rest of
    # Chinese punctuation have no ASCII twin and stay as they are.
    table.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)})
    return table


_FOLD = _fold_table()


def fold_chars(text: str) -> str:
    """Drop invisible and control characters, fold full-width ASCII, make every line end LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_FOLD)


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
_BUTTONS = frozenset(
    "打印 打印本页 打印此页 打印文章 关闭 关闭窗口 关闭本页 收藏 加入收藏 返回顶部 返回首页 返回 "
    "分享 扫一扫 微信 微博 朋友圈 QQ空间 复制链接 纠错 字体 大 中 小 默认".split()
)
_RELATED = re.compile(r"(?:相关阅读|相关新闻|相关链接|相关文章|推荐阅读|延伸阅读)\s*[:]?")
_SPLIT_BUTTONS = re.compile(r"[\s|【】\[\]()<>/]+")
_DEBRIS_MAX = 200  # debris lines are short; longer lines are text and skip the checks
_LINK_TITLE_MAX = 40


def is_debris(line: str) -> bool:
    """A line of web-page furniture: breadcrumbs, font switches, share and print buttons, …"""
    if not line or len(line) > _DEBRIS_MAX:
        return False
    if _DEBRIS.match(line):
        return True
    words = [w for w in _SPLIT_BUTTONS.split(line) if w]
    return bool(words) and all(w in _BUTTONS for w in words)


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


# --------------------------------------------------------------------------- html

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_DROP_TAGS = frozenset(
    "script style nav footer aside form noscript template svg iframe object button select "
    "textarea head title".split()
)
_BLOCK = frozenset(
    "address article blockquote br center dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 "
    "header hr li main ol p pre section table tbody thead tfoot tr ul".split()
)
_CELL = frozenset(("td", "th"))
_SELF_CLOSING = frozenset(("p", "li", "dt", "dd", "tr", "td", "th", "option"))
_DROP_TOKENS = frozenset(
    "nav navbar navigation menu breadcrumb breadcrumbs crumb crumbs share sharing social footer "
    "sidebar related comment comments toolbar copyright pagination pager advert ads topbar".split()
)
_CONTENT_TOKENS = frozenset(
    "article artical content contents main detail details zoom post entry text newstext "
    "trs_editor".split()
)
_TOKEN_SPLIT = re.compile(r"[_-]+")
_SPACE_RUN = re.compile(r"\s+")
_CONTAINER_SHARE = 0.25  # a content container must hold at least this share of the page's text
_OUTSIDE_LINE_MAX = 100
_DATE_OR_FIELD = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}|[^\W\d_]{2,6}\s*[:：]")


class _Element:
    __slots__ = ("tag", "attrs", "children", "parent", "size")

    def __init__(self, tag: str, attrs: dict[str, str], parent: "_Element | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[_Element | str] = []
        self.size = 0  # characters of visible text below, filled in by _measure

    def tokens(self) -> set[str]:
        """Class and id words, whole and split at - and _ ("TRS_Editor" → trs_editor, trs, editor)."""
        words = f"{self.attrs.get('class', '')} {self.attrs.get('id', '')}".lower().split()
        return {w.replace("-", "_") for w in words} | {t for w in words for t in _TOKEN_SPLIT.split(w) if t}


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: unknown end tags are ignored, unclosed tags end with the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        if tag in _SELF_CLOSING and self.current.tag == tag:
            self.current = self.current.parent
        element = _Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in _VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.current.tag == tag:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def _dropped(element: _Element, in_article: bool) -> bool:
    if element.tag in _DROP_TAGS or "hidden" in element.attrs:
        return True
    if element.tag == "header" and not in_article:  # an article's own header holds its title and byline
        return True
    style = element.attrs.get("style", "").replace(" ", "").lower()
    return "display:none" in style or bool(element.tokens() & _DROP_TOKENS)


def _walk(root: _Element):
    """Pre-order events without recursion (pages nest deeply): ('open'|'close', element) or ('text', str)."""
    stack: list[tuple[_Element | str, bool]] = [(root, False)]
    articles = 0
    while stack:
        item, closing = stack.pop()
        if isinstance(item, str):
            yield "text", item
        elif closing:
            articles -= item.tag == "article"
            yield "close", item
        elif not _dropped(item, articles > 0):
            articles += item.tag == "article"
            yield "open", item
            stack.append((item, True))
            stack.extend((child, False) for child in reversed(item.children))


def _measure(root: _Element) -> list[_Element]:
    """Fill in each element's visible text size; return the elements in document order."""
    order, open_stack = [], []
    for kind, item in _walk(root):
        if kind == "open":
            order.append(item)
            open_stack.append(item)
        elif kind == "close":
            open_stack.pop()
            if open_stack:
                open_stack[-1].size += item.size
        else:
            open_stack[-1].size += len(item.strip())
    return order


def _container(root: _Element, order: list[_Element]) -> _Element:
    """The page's main content: the biggest <article>, else the biggest obvious content box."""
    articles = [e for e in order if e.tag == "article"]
    boxes = articles or [e for e in order if e.tag == "main" or e.attrs.get("role") == "main"
                         or e.tokens() & _CONTENT_TOKENS]
    best = max(boxes, key=lambda e: e.size, default=None)
    if best is None or best.size < _CONTAINER_SHARE * root.size:
        return root
    return best


def _render(root: _Element, container: _Element) -> tuple[str, str]:
    """The text before the container and the container's own text, blocks as line breaks."""
    before: list[str] = []
    inside: list[str] = []
    out = before
    for kind, item in _walk(root):
        if kind == "text":
            out.append(_SPACE_RUN.sub(" ", item))
            continue
        if item is container:
            if kind == "close":
                break
            out = inside
        if item.tag in _BLOCK:
            out.append("\n")
        elif item.tag in _CELL:
            out.append(" ")
    return "".join(before), "".join(inside)


def _text_of(element: _Element) -> str:
    parts = [item for kind, item in _walk(element) if kind == "text"]
    return _SPACE_RUN.sub(" ", "".join(parts)).strip()


def _first(order: list[_Element], tag: str) -> _Element | None:
    return next((e for e in order if e.tag == tag), None)


def _page_title(root: _Element, order: list[_Element]) -> str:
    """The <h1>, else the first part of <title> (sites append their own name after - _ |)."""
    h1 = _first(order, "h1")
    if h1 is not None and _text_of(h1):
        return _text_of(h1)
    stack, title = [root], ""
    while stack and not title:  # <title> sits in <head>, which the walk drops
        element = stack.pop()
        if element.tag == "title":
            title = "".join(c for c in element.children if isinstance(c, str))
        stack.extend(c for c in element.children if isinstance(c, _Element))
    return re.split(r"\s+[-_|]\s+|_|\|", title.strip(), maxsplit=1)[0].strip()


def _is_inside(element: _Element, container: _Element) -> bool:
    while element is not None and element is not container:
        element = element.parent
    return element is container


def html_to_text(raw: str) -> tuple[str, str]:
    """An HTML page as plain lines of its article, and its title.

    Scripts, styles, navigation, forms and page headers and footers are dropped.
    Where a main content box is found, only it is kept, plus the page's <h1>
    and the short date/source lines above it (they carry the metadata).
    """
    builder = _TreeBuilder()
    builder.feed(raw)
    builder.close()
    root = builder.root
    order = _measure(root)
    container = _container(root, order)
    before, inside = _render(root, container)
    lines = [ln.strip() for ln in before.split("\n")]
    kept = [ln for ln in lines if ln and len(ln) <= _OUTSIDE_LINE_MAX and _DATE_OR_FIELD.search(ln)]
    h1 = _first(order, "h1")
    if h1 is not None and container is not root and not _is_inside(h1, container):
        kept.insert(0, _text_of(h1))
    return "\n".join([*kept, inside]), _page_title(root, order)
