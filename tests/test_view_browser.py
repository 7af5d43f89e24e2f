"""The view pages in a real headless Chromium (Debian's /usr/bin/chromium).

They show that the page draws what the view holds, fetches nothing, logs no
errors, runs nothing that a report smuggled into a name, and stops moving.
Without Chromium these tests skip; with CI set they fail instead.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from test_view import sample_doc
from ufgraph.graph.model import Report
from ufgraph.graph.view import build_view, render_html
from ufgraph.graph.view_page import PHYSICS_LIMIT
from ufgraph.graph.view_synthetic import synthetic_document

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STILL_TIMEOUT_MS = 60_000

SCRIPT_NAME = "<script>window.__pwned='script'</script>林某"
IMG_NAME = "<img src=x onerror=\"window.__pwned='img'\">商会"
TITLE = "</script><script>window.__pwned='title'</script>简报"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A page with everything it logged and requested."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.console, self.errors, self.requests = [], [], []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.ufgraph && window.ufgraph.stable === true",
                                    timeout=STILL_TIMEOUT_MS)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def node_on_screen(self, node_id: str) -> tuple[float, float]:
        """Page coordinates of a node's centre."""
        return tuple(self.js("""id => {
            const net = ufgraph.network, dom = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById('network').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y]; }""", node_id))

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser):
    opened = []

    def _open(path: Path) -> Opened:
        opened.append(Opened(browser, path))
        return opened[-1]

    yield _open
    for page in opened:
        page.close()


def hostile_doc():
    doc = sample_doc()
    by_id = {n.id: n for n in doc.nodes}
    by_id["p1"].name = SCRIPT_NAME
    by_id["ch1"].name = IMG_NAME
    doc.reports[0] = Report(doc.reports[0].id, TITLE, "2022-03-01")
    return doc


def assert_clean(opened: Opened, path: Path):
    assert opened.errors == []
    assert [m for m in opened.console if m[0] in ("error", "warning")] == []
    assert opened.requests == [path.as_uri()]


def assert_still(opened: Opened):
    assert opened.js("ufgraph.network.physics.physicsEnabled") is False
    before = opened.js("ufgraph.network.getPositions()")
    opened.page.wait_for_timeout(600)
    assert opened.js("ufgraph.network.getPositions()") == before


def test_small_view_draws_the_view_offline_and_settles(open_page, tmp_path):
    view = build_view(hostile_doc())
    path = render_html(view, tmp_path / "small.html")
    opened = open_page(path)
    assert opened.js("[ufgraph.nodes.length, ufgraph.edges.length]") == [view.node_count, view.edge_count]
    assert opened.js("ufgraph.data.options.physics.enabled") is True  # settled by physics, then stopped
    assert_still(opened)
    assert_clean(opened, path)
    legend = opened.page.inner_text("#type-list")
    assert "Federation" in legend and "Person" in legend
    opened.page.screenshot(path=str(tmp_path / "small.png"))
    assert (tmp_path / "small.png").stat().st_size > 10_000


def test_names_with_markup_show_as_text_and_run_nothing(open_page, tmp_path):
    path = render_html(build_view(hostile_doc(), focus=SCRIPT_NAME), tmp_path / "hostile.html")
    opened = open_page(path)
    assert opened.js("window.__pwned === undefined") is True
    assert opened.js("document.querySelectorAll('img').length") == 0
    assert opened.js("document.scripts.length") == 3  # vis-network, the data, the page script
    assert opened.page.title() == "ufgraph · " + SCRIPT_NAME
    assert opened.js("ufgraph.network.getSelectedNodes()") == ["p1"]  # the focus starts selected
    assert SCRIPT_NAME in opened.page.inner_text("#detail-body")
    opened.page.fill("#search", "<img")
    result = opened.page.locator("#results button").first
    assert result.inner_text().startswith(IMG_NAME)
    result.click()
    assert IMG_NAME in opened.page.inner_text("#detail-body")
    assert TITLE + " (2022-03-01)" in opened.page.inner_text("#detail-body")
    x, y = opened.node_on_screen("p1")
    opened.page.mouse.move(x, y)
    opened.page.wait_for_selector("#tooltip:not([hidden])")
    assert SCRIPT_NAME in opened.page.inner_text("#tooltip")
    opened.page.wait_for_timeout(200)
    assert opened.js("window.__pwned === undefined") is True
    assert_clean(opened, path)
    opened.page.screenshot(path=str(tmp_path / "hostile.png"))


def test_large_view_is_laid_out_in_python_and_drawn_at_once(open_page, tmp_path):
    view = build_view(synthetic_document(PHYSICS_LIMIT + 400))
    path = render_html(view, tmp_path / "large.html")
    opened = open_page(path)
    assert opened.js("ufgraph.data.options.physics.enabled") is False
    assert opened.js("[ufgraph.nodes.length, ufgraph.edges.length]") == [view.node_count, view.edge_count]
    assert_still(opened)
    assert_clean(opened, path)
    opened.page.screenshot(path=str(tmp_path / "large.png"))


def test_over_the_limit_the_page_says_what_was_left_out(open_page, tmp_path):
    view = build_view(synthetic_document(600), max_nodes=200)
    path = render_html(view, tmp_path / "capped.html")
    opened = open_page(path)
    assert opened.js("ufgraph.nodes.length") == view.node_count == 200
    left_out = opened.page.inner_text("#left-out-list")
    dropped = sum(view.left_out["over the limit of 200 nodes"].values())
    assert f"{dropped} nodes: over the limit of 200 nodes" in left_out and "Person" in left_out
    assert opened.page.inner_text("#summary").startswith("200 nodes, ")


def test_type_checkboxes_hide_and_show_nodes_with_their_links(open_page, tmp_path):
    path = render_html(build_view(sample_doc()), tmp_path / "types.html")
    opened = open_page(path)
    visible_people = "ufgraph.nodes.get({filter: n => n.kind === 'Person' && !n.hidden}).length"
    person_links = "ufgraph.edges.get({filter: e => e.rel === 'HOLDS_POST' && !e.hidden}).length"
    assert opened.js(visible_people) == 2 and opened.js(person_links) == 3
    opened.page.uncheck('#type-list input[data-type="Person"]')
    assert opened.js(visible_people) == 0 and opened.js(person_links) == 0
    assert opened.js("ufgraph.nodes.get({filter: n => n.hidden}).length") == 2
    opened.page.check('#type-list input[data-type="Person"]')
    assert opened.js(visible_people) == 2 and opened.js(person_links) == 3


def test_nodes_can_still_be_dragged_once_physics_stops(open_page, tmp_path):
    path = render_html(build_view(sample_doc()), tmp_path / "drag.html")
    opened = open_page(path)
    before = opened.js("ufgraph.network.getPositions()")
    x, y = opened.node_on_screen("fed2")
    opened.page.mouse.move(x, y)
    opened.page.mouse.down()
    opened.page.mouse.move(x + 90, y + 60, steps=8)
    opened.page.mouse.up()
    opened.page.wait_for_timeout(300)
    after = opened.js("ufgraph.network.getPositions()")
    assert after["fed2"] != before["fed2"]
    assert {k: v for k, v in after.items() if k != "fed2"} == {k: v for k, v in before.items() if k != "fed2"}
