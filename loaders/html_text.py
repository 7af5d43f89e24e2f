"""The article text of an HTML page, with the standard library's html.parser.

One parsing pass builds a small element tree that already leaves out what is
never text (scripts, styles, navigation, forms, page headers and footers,
hidden boxes) and measures how much text each element holds; one walk then
renders it with block elements as line breaks. Unclosed and stray tags are
forgiven: the page's end closes whatever is still open.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_DROP_TAGS = frozenset(
    "script style nav footer aside form noscript template svg iframe object button select "
    "textarea head title".split()
)
_BLOCK = frozenset(
    "address article blockquote br center dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 "
    "header hr li main ol p pre section table tbody thead tfoot tr ul".split()
)
_BREAK = {**dict.fromkeys(_BLOCK, "\n"), "td": " ", "th": " "}
_HEAD_CONTENT = frozenset("html head title meta link style script base noscript template".split())
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
_CONTAINER_SHARE = 0.25  # a content box must hold at least this share of the page's text
_OUTSIDE_LINE_MAX = 100
_DATE_OR_FIELD = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}|[^\W\d_]{2,6}\s*[:：]")


class _Element:
    __slots__ = ("tag", "parent", "children", "size", "dropped", "in_article")

    def __init__(self, tag: str, parent: "_Element | None"):
        self.tag, self.parent = tag, parent
        self.children: list[_Element | str] = []
        self.size = 0  # characters of visible text below, complete once the element is closed
        self.in_article = parent is not None and (parent.in_article or parent.tag == "article")
        self.dropped = parent is not None and parent.dropped


def _class_tokens(attrs: dict[str, str]) -> set[str]:
    """Class and id words, whole and split at - and _ ("TRS_Editor" → trs_editor, trs, editor)."""
    words = f"{attrs.get('class', '')} {attrs.get('id', '')}".lower().split()
    return {w.replace("-", "_") for w in words} | {t for w in words for t in _TOKEN_SPLIT.split(w) if t}


def _drops(tag: str, attrs: dict[str, str], tokens: set[str], in_article: bool) -> bool:
    if tag in _DROP_TAGS or "hidden" in attrs:
        return True
    if tag == "header" and not in_article:  # an article's own header holds its title and byline
        return True
    if "style" in attrs and "display:none" in attrs["style"].replace(" ", "").lower():
        return True
    return bool(tokens & _DROP_TOKENS)


def _is_box(tag: str, attrs: dict[str, str], tokens: set[str]) -> bool:
    return tag == "main" or attrs.get("role") == "main" or bool(tokens & _CONTENT_TOKENS)


class _TreeBuilder(HTMLParser):
    """Builds the kept part of the tree and notes articles, content boxes, the first h1 and <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = _Element("#root", None)
        self.articles: list[_Element] = []
        self.boxes: list[_Element] = []
        self.h1: _Element | None = None
        self.title: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SELF_CLOSING and self.current.tag == tag:
            self._close(self.current)
        if tag not in _HEAD_CONTENT:
            self._close_open("head")  # </head> is optional: body content ends the head
        parent = self.current
        element = _Element(tag, parent)
        if not element.dropped:
            self._register(element, {k: v or "" for k, v in attrs})
        if tag not in _VOID:
            self.current = element

    def _register(self, element: _Element, attrs: dict[str, str]) -> None:
        tokens = _class_tokens(attrs) if ("class" in attrs or "id" in attrs) else set()
        element.dropped = _drops(element.tag, attrs, tokens, element.in_article)
        if element.dropped:
            return
        element.parent.children.append(element)
        if element.tag == "article":
            self.articles.append(element)
        elif _is_box(element.tag, attrs, tokens):
            self.boxes.append(element)
        if element.tag == "h1" and self.h1 is None:
            self.h1 = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.current.tag == tag:
            self._close(self.current)

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:  # an end tag that closes nothing open is ignored
            self._close(node)

    def _close_open(self, tag: str) -> None:
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self._close(node)

    def _close(self, node: _Element) -> None:
        """Close `node` and everything still open inside it, passing text sizes up."""
        while True:
            element, self.current = self.current, self.current.parent
            if not element.dropped:
                self.current.size += element.size
            if element is node:
                return

    def handle_data(self, data):
        if self.current.tag == "title":
            self.title.append(data)
        elif not self.current.dropped:
            self.current.children.append(_SPACE_RUN.sub(" ", data))
            self.current.size += len(data.strip())

    def finish(self) -> _Element:
        self.close()
        while self.current is not self.root:
            self._close(self.current)
        return self.root


def _container(builder: _TreeBuilder) -> _Element:
    """The page's main content: the biggest <article>, else the biggest obvious content box."""
    best = max(builder.articles or builder.boxes, key=lambda e: e.size, default=None)
    if best is None or best.size < _CONTAINER_SHARE * builder.root.size:
        return builder.root
    return best


def _render(root: _Element, container: _Element) -> tuple[str, str]:
    """The text before the container and the container's own text; blocks become line breaks."""
    before: list[str] = []
    inside: list[str] = []
    out = before
    stack: list = [root]  # elements to open, strings to write, 1-tuples to close
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, tuple):
            if item[0] is container:
                break
            out.append(_BREAK[item[0].tag])
        else:
            if item is container:
                out = inside
            if item.tag in _BREAK:
                out.append(_BREAK[item.tag])
            if (item.tag in _BLOCK and item.tag not in _VOID) or item is container:
                stack.append((item,))  # a block ends its line; a cell only needs the space before it
            stack.extend(reversed(item.children))
    return "".join(before), "".join(inside)


def _text_of(element: _Element) -> str:
    return " ".join(_render(element, element)[1].split())


def _is_inside(element: _Element, container: _Element) -> bool:
    while element is not None and element is not container:
        element = element.parent
    return element is container


def _page_title(builder: _TreeBuilder) -> str:
    """The first <h1>, else the first part of <title> (sites append their own name after - _ |)."""
    if builder.h1 is not None and _text_of(builder.h1):
        return _text_of(builder.h1)
    title = " ".join("".join(builder.title).split())
    return re.split(r"\s+[-|]\s+|_|\|", title, maxsplit=1)[0].strip()


def _without_torn_tag(raw: str) -> str:
    """A page cut off inside a tag ("…<div class=") would show the torn tag as text: drop it."""
    cut = raw.rfind("<")
    return raw[:cut] if cut > raw.rfind(">") else raw


def html_to_text(raw: str) -> tuple[str, str]:
    """An HTML page as plain lines of its article, and its title.

    Where an <article> or a main content box is found, only it is kept, plus the
    page's <h1> and the short date/source lines above it (they carry the metadata).
    """
    builder = _TreeBuilder()
    builder.feed(_without_torn_tag(raw))
    root = builder.finish()
    container = _container(builder)
    before, inside = _render(root, container)
    kept = [line.strip() for line in before.split("\n")]
    kept = [line for line in kept
            if line and len(line) <= _OUTSIDE_LINE_MAX and _DATE_OR_FIELD.search(line)]
    h1 = builder.h1
    if h1 is not None and container is not root and not _is_inside(h1, container):
        kept.insert(0, _text_of(h1))
    return "\n".join([*kept, inside]), _page_title(builder)
