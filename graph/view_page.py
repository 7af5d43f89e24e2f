"""One self-contained HTML page for a View: vis-network inlined from the pyvis
package, the graph as JSON, and a small script of our own for the legend,
type filters, search and hover boxes.

Nothing in the page is fetched: pyvis's own templates pull vis-network and
Bootstrap from CDNs, so the page uses data/templates/view.html instead, and
a Content-Security-Policy forbids any request. Everything that comes from a
report reaches the page either through html.escape (the page title) or as
JSON that the script turns into DOM text nodes.
"""
from __future__ import annotations

import html
import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from pyvis.network import Network

from ..errors import ConfigError
from .network import importance
from .ontology import load_ontology
from .view_hover import edge_hover, edge_label, node_hover
from .view_layout import layout_positions

if TYPE_CHECKING:
    from .view import View

PHYSICS_LIMIT = 500  # above it the layout is computed in Python and the browser only draws
STABILISATION_ITERATIONS = 150
VIS_DIR = "lib/vis-9.1.2"
FONT_FACE = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                               "\u2028": "\\u2028", "\u2029": "\\u2029"})


def view_html(view: "View") -> str:
    """The page of `view` as one HTML string (UTF-8, no external resources)."""
    page = Template(read_template("view.html"))
    return page.substitute(
        title=html.escape(view.title), vis_css=_vis_file("vis-network.css"),
        page_css=read_template("view.css"), vis_js=_vis_file("vis-network.min.js"),
        data=script_json(page_data(view)), page_js=read_template("view.js"))


def render_html(view: "View", path: str | Path) -> Path:
    """Write the page of `view` to `path` (folders are created) and return the path."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(view_html(view), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{target}: cannot write the page: {exc.strerror or exc}") from None
    return target


def notebook_view(view: "View", height: int = 720):
    """Show the same page inline in Jupyter, inside an iframe (its script stays sandboxed from the notebook)."""
    from IPython.display import HTML  # only notebooks need IPython

    srcdoc = html.escape(view_html(view), quote=True)
    # The <div> keeps IPython from suggesting IFrame, which cannot take a srcdoc.
    return HTML(f'<div><iframe srcdoc="{srcdoc}" style="width:100%;height:{int(height)}px;border:0" '
                f'sandbox="allow-scripts"></iframe></div>')


def script_json(data) -> str:
    """JSON that is safe inside <script>: no `</script>`, `<!--` or line separators can break out."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_JSON_ESCAPES)


def page_data(view: "View") -> dict:
    """Everything the page script needs: vis nodes, edges and options, legend, left-out counts."""
    graph = view.graph
    physics = 0 < graph.number_of_nodes() <= PHYSICS_LIMIT
    net = Network(directed=True)
    _add_nodes(net, view, layout_positions(graph))
    _add_edges(net, view)
    return {"title": view.title, "nodes": net.nodes, "edges": net.edges,
            "options": vis_options(physics, graph.number_of_nodes()),
            "types": _legend(graph), "rels": _rel_legend(graph), "focus": list(view.focus),
            "filters": [[k, v] for k, v in view.filters.items()],
            "leftOut": _left_out(view), "edgesLeftOut": sorted(view.edges_left_out.items()),
            "stats": {"nodes": view.node_count, "edges": view.edge_count}}


def vis_options(physics: bool, node_count: int) -> dict:
    """vis-network options: straight edges, and physics that settles in a bounded number of steps."""
    large = node_count > PHYSICS_LIMIT
    # Labels are drawn only once they would be this many pixels high: a large graph
    # seen whole is a picture of its shape, and its names appear as one zooms in.
    node_label, edge_label = (9, 10) if large else (5, 6)
    return {
        "nodes": {"borderWidth": 1, "scaling": {"label": {"drawThreshold": node_label}},
                  "font": {"size": 16, "face": FONT_FACE, "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "width": 1, "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
                  "scaling": {"label": {"drawThreshold": edge_label}},
                  "color": {"color": "#9aa5b1", "highlight": "#2c3e50", "hover": "#2c3e50", "inherit": False},
                  "font": {"size": 11, "face": FONT_FACE, "color": "#34495e", "strokeWidth": 3,
                           "align": "middle"}},
        "interaction": {"hover": True, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "tooltipDelay": 150},
        "layout": {"improvedLayout": False},
        "physics": {"enabled": physics, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -5000, "springLength": 110,
                                  "springConstant": 0.03, "damping": 0.4, "avoidOverlap": 0.1},
                    "stabilization": {"enabled": physics, "iterations": STABILISATION_ITERATIONS,
                                      "updateInterval": 50, "fit": True},
                    "minVelocity": 1.0},
    }


@lru_cache(maxsize=None)
def node_styles() -> dict[str, dict]:
    """Colour and shape per node type, from data/templates/view_styles.json."""
    styles = json.loads(read_template("view_styles.json"))
    missing = [t for t in load_ontology().node_types if t not in styles]
    if missing:
        raise ConfigError(f"data/templates/view_styles.json: no style for node types {missing}")
    return {t: s for t, s in styles.items() if not t.startswith("_")}


@lru_cache(maxsize=None)
def read_template(name: str) -> str:
    """A page template file from data/templates/."""
    try:
        return resources.files("ufgraph").joinpath("data/templates", name).read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"data/templates/{name}: page template missing from the package") from None


@lru_cache(maxsize=None)
def _vis_file(name: str) -> str:
    # pyvis carries vis-network in its package; inlining it keeps the page offline.
    text = resources.files("pyvis").joinpath(VIS_DIR, name).read_text("utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ConfigError(f"pyvis {VIS_DIR}/{name}: cannot be inlined, it closes its own tag")
    return text


def _add_nodes(net: Network, view: "View", positions: dict) -> None:
    graph, styles = view.graph, node_styles()
    sizes = _sizes(graph)
    for node, attrs in graph.nodes(data=True):
        style = styles[attrs["type"]]
        x, y = positions[node]
        net.add_node(node, label=attrs["name"], shape=style["shape"], color=style["color"],
                     size=sizes[node], x=x, y=y, kind=attrs["type"],
                     names=[attrs["name"], *attrs["aliases"]],
                     hover=node_hover(graph, node, view.reports))


def _add_edges(net: Network, view: "View") -> None:
    graph = view.graph
    for i, (u, v, key, attrs) in enumerate(graph.edges(keys=True, data=True)):
        net.add_edge(u, v, id=f"e{i}", label=edge_label(attrs), rel=attrs["type"],
                     dashes=attrs["type"] == "LIAISES_WITH",
                     hover=edge_hover(graph, u, v, key, view.reports))


def _sizes(graph) -> dict[str, float]:
    scores = {n: max(s, 0.0) for n, s in importance(graph).items()}
    top = max(scores.values(), default=0.0) or 1.0
    return {n: round(10 + 30 * math.sqrt(s / top), 1) for n, s in scores.items()}


def _legend(graph) -> list[dict]:
    counts: dict[str, int] = {}
    for _, kind in graph.nodes(data="type"):
        counts[kind] = counts.get(kind, 0) + 1
    styles, onto = node_styles(), load_ontology()
    return [{"type": t, "count": counts[t], **styles[t]} for t in onto.node_types if t in counts]


def _rel_legend(graph) -> list[list]:
    counts: dict[str, int] = {}
    for *_, kind in graph.edges(data="type"):
        counts[kind] = counts.get(kind, 0) + 1
    return sorted([k, n] for k, n in counts.items())


def _left_out(view: "View") -> list[dict]:
    return [{"reason": reason, "count": sum(by_type.values()), "byType": sorted(by_type.items())}
            for reason, by_type in view.left_out.items()]
