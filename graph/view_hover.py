"""Hover text for the nodes and edges of a view, as plain data.

The page builds the hover box from this data with DOM text nodes, never
from HTML strings, so a name like `<script>` in a report shows as text.
Each box: `head` (one line), `rows` ([label, value] pairs), `quotes`
(evidence sentences, a few, trimmed) and `reports` (title and date).
"""
from __future__ import annotations

import networkx as nx

from .model import Evidence, Report

MAX_QUOTES = 3
MAX_REPORTS = 5
QUOTE_CHARS = 140
PROP_LABELS = {"title": "title", "role": "role", "what": "what"}
SCORE_LABELS = {"betweenness": "betweenness", "degree": "degree score", "community": "community"}


def node_hover(graph: nx.MultiDiGraph, node: str, reports: dict[str, Report]) -> dict:
    """The hover box of one node: type, name, aliases, posts, scores, evidence and reports."""
    attrs = graph.nodes[node]
    rows = [["type", attrs["type"]]]
    if attrs["aliases"]:
        rows.append(["aliases", "、".join(attrs["aliases"])])
    rows += [["post", _post(title, org)] for title, org in attrs.get("posts", [])]
    rows += [[label, _number(attrs[key])] for key, label in SCORE_LABELS.items() if key in attrs]
    return {"head": attrs["name"], "rows": rows, "quotes": quotes(attrs["evidence"]),
            "reports": report_lines(attrs["reports"], reports)}


def edge_hover(graph: nx.MultiDiGraph, source: str, target: str, key: str,
               reports: dict[str, Report]) -> dict:
    """The hover box of one edge: its ends, type, title or role, origin, evidence and reports."""
    attrs = graph.edges[source, target, key]
    head = f"{graph.nodes[source]['name']} → {graph.nodes[target]['name']}"
    rows = [["relationship", attrs["type"]]]
    rows += [[PROP_LABELS.get(k, k), str(v)] for k, v in sorted(attrs["props"].items()) if v not in ("", None)]
    if attrs["origin"] != "report":
        rows.append(["origin", f"{attrs['origin']} (reference data, not stated by a report)"])
    return {"head": head, "rows": rows, "quotes": quotes(attrs["evidence"]),
            "reports": report_lines(attrs["reports"], reports)}


def edge_label(attrs: dict) -> str:
    """The text written on an edge: the post title, role or what was agreed, when stated."""
    props = attrs["props"]
    return str(props.get("title") or props.get("role") or props.get("what") or "")


def quotes(evidence: list[Evidence]) -> list[str]:
    """The first few distinct evidence sentences, each trimmed to QUOTE_CHARS."""
    seen: list[str] = []
    for item in evidence:
        sentence = " ".join(item.sentence.split())
        if sentence and sentence not in seen:
            seen.append(sentence)
    return [_trim(s) for s in seen[:MAX_QUOTES]]


def report_lines(ids: list[str], reports: dict[str, Report]) -> list[str]:
    """One line per report, 'title (date)', at most MAX_REPORTS and a count of the rest."""
    lines = [_report_line(reports.get(i), i) for i in ids[:MAX_REPORTS]]
    if len(ids) > MAX_REPORTS:
        lines.append(f"… and {len(ids) - MAX_REPORTS} more reports")
    return lines


def _report_line(report: Report | None, report_id: str) -> str:
    if report is None:
        return report_id
    title = report.title or report.id
    return f"{title} ({report.date})" if report.date else title


def _post(title: str, org: str) -> str:
    return f"{title} — {org}" if title else org


def _trim(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1] + "…"


def _number(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
