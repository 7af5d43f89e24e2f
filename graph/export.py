"""Exports of a graph document for other tools.

    export(doc, "graphml", "out/network.graphml")   # Gephi, yEd, networkx
    export(doc, "gexf", "out/network.gexf")         # Gephi, with the view's colours
    export(doc, "csv", "out/neo4j-import/")         # neo4j-admin database import (graph/export_csv.py)
    export(doc, "jsonl", "-")                       # one record per line on stdout
    export(doc, "ftm", "out/entities.ftm.json")     # followthemoney entities (graph/export_ftm.py)

GraphML and GEXF take only scalar attributes, so lists are joined with
" | " and evidence sentences with new lines (`file_graph`). Files are
written beside their target and renamed into place, so a failed export
leaves no half-written file.
"""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import IO, Iterator

import networkx as nx

from ..errors import ConfigError
from .model import MEASURES, GraphDocument
from .network import edge_dates, to_networkx

FORMATS = ("graphml", "gexf", "csv", "jsonl", "ftm")
FOLDER_FORMATS = ("csv",)  # formats that write several files into a folder
STDOUT = "-"
LIST_SEP = " | "


def export(doc: GraphDocument, fmt: str, out: str | Path) -> list[Path]:
    """Write `doc` in format `fmt` to `out` (a file, a folder for csv, or "-" for stdout).

    Returns the files written ([] for stdout).
    """
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt in FOLDER_FORMATS:
        if str(out) == STDOUT:
            raise ConfigError(f"{fmt} export writes one file per node and relationship set: "
                              "give a folder, not '-'")
        from .export_csv import write_csv
        return write_csv(doc, Path(out)).files
    with output(out, binary=fmt in ("graphml", "gexf")) as stream:
        _WRITERS[fmt](doc, stream)
    return [] if str(out) == STDOUT else [Path(out)]


def export_with_summary(doc: GraphDocument, fmt: str, out: str | Path, database: str = "neo4j") -> dict:
    """Export like `export` and say what was written: format, files, node and relationship
    counts, and for csv the neo4j-admin command that imports the files into `database`."""
    summary: dict = {"format": fmt}
    if fmt in FOLDER_FORMATS and str(out) != STDOUT:
        from .export_csv import write_csv
        written = write_csv(doc, Path(out))
        files, summary["command"] = written.files, written.command(database)
    else:
        files = export(doc, fmt, out)
    entities = {n.id for n in doc.nodes}
    summary.update(files=[str(f) for f in files], nodes=len(doc.nodes),
                   edges=sum(1 for e in doc.edges if e.source in entities and e.target in entities))
    return summary


def format_summary(summary: dict) -> str:
    lines = [f"ufgraph export: {summary['nodes']} nodes, {summary['edges']} relationships as {summary['format']}"]
    lines += [f"  {f}" for f in summary["files"]]
    if "command" in summary:
        lines.append(f"import into a stopped Neo4j (into a new or empty database) with:\n  {summary['command']}")
    return "\n".join(lines)


@contextmanager
def output(out: str | Path, binary: bool = False) -> Iterator[IO]:
    """A stream for `out`: stdout for "-", else a temporary file renamed onto `out` when done."""
    if str(out) == STDOUT:
        stream = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(out)
    if target.is_dir():
        raise ConfigError(f"{target}: is a folder; give a file name to export to")
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as stream:
            yield stream
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConfigError(f"{target}: cannot write the export: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ------------------------------------------------------------ GraphML and GEXF

def file_graph(doc: GraphDocument) -> nx.MultiDiGraph:
    """`doc` as a MultiDiGraph whose attributes are all scalars, for GraphML and GEXF.

    Nodes: label (the name, which Gephi shows), type, name, aliases, reports,
    report_count, first_date, last_date, and any analysis scores. Edges
    (keyed e0, e1, ... so every edge id is unique): label and relationship
    (the type), title / role / what where stated, reports, dates,
    first_date, last_date, origin, evidence (the sentences) and weight (the
    number of reports that state it).

    Example:

    >>> from ufgraph.graph.model import Edge, GraphDocument, Node
    >>> g = file_graph(GraphDocument(nodes=[Node("p1", "Person", "林某", ["林总"]), Node("c1", "Chamber", "某商会")],
    ...                              edges=[Edge("p1", "c1", "HOLDS_POST", {"title": "会长"})]))
    >>> g.nodes["p1"]["aliases"], g.edges["p1", "c1", "e0"]["title"]
    ('林总', '会长')
    """
    full = to_networkx(doc)
    dates = {r.id: r.date for r in doc.reports}
    graph = nx.MultiDiGraph()
    for node, attrs in full.nodes(data=True):
        graph.add_node(node, **_node_row(attrs, dates))
    for i, (u, v, attrs) in enumerate(sorted(full.edges(data=True), key=lambda e: (e[0], e[2]["type"], e[1]))):
        graph.add_edge(u, v, key=f"e{i}", **_edge_row(attrs))
    return graph


def _node_row(attrs: dict, report_dates: dict[str, str]) -> dict:
    dates = sorted({e.date or report_dates.get(e.report, "") for e in attrs["evidence"]} - {""})
    row = {"label": attrs["name"], "type": attrs["type"], "name": attrs["name"],
           "aliases": LIST_SEP.join(attrs["aliases"]), "reports": LIST_SEP.join(attrs["reports"]),
           "report_count": len(attrs["reports"]), **_date_span(dates)}
    for key, value in attrs["props"].items():
        if value is not None:
            row.setdefault(key, _scalar(key, value))
    return row


def _edge_row(attrs: dict) -> dict:
    sentences = list(dict.fromkeys(e.sentence for e in attrs["evidence"] if e.sentence))
    row = {"label": attrs["type"], "relationship": attrs["type"],
           **{k: str(v) for k, v in attrs["props"].items() if v not in (None, "")},
           "reports": LIST_SEP.join(attrs["reports"]), "dates": LIST_SEP.join(attrs["dates"]),
           **_date_span(attrs["dates"]), "origin": attrs["origin"], "evidence": "\n".join(sentences),
           "weight": float(max(len(attrs["reports"]), 1))}
    return row


def _date_span(dates: list[str]) -> dict:
    # GEXF readers take attributes named start/end as time intervals, so these names avoid them.
    return {"first_date": dates[0], "last_date": dates[-1]} if dates else {}


def _scalar(key: str, value):
    """One attribute value as a scalar of a type that is the same on every node."""
    if key in MEASURES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(map(str, value))
    # Anything else (community ids included) as text, so one key never mixes types.
    return str(value)


def write_graphml(doc: GraphDocument, stream: IO[bytes]) -> None:
    """GraphML of `file_graph(doc)` (UTF-8) to a binary stream."""
    nx.write_graphml(file_graph(doc), stream, encoding="utf-8", named_key_ids=True)


def write_gexf(doc: GraphDocument, stream: IO[bytes]) -> None:
    """GEXF of `file_graph(doc)` to a binary stream; nodes carry the network view's colours."""
    from .view_page import node_styles

    graph, styles = file_graph(doc), node_styles()
    for _, attrs in graph.nodes(data=True):
        attrs["viz"] = {"color": _rgb(styles[attrs["type"]]["color"])}
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        attrs["id"] = key  # the GEXF edge id; networkx also writes the key, as attribute networkx_key
    nx.write_gexf(graph, stream, encoding="utf-8")


def _rgb(hex_colour: str) -> dict:
    value = hex_colour.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16), "a": 1.0}


# ------------------------------------------------------------ JSON Lines

def jsonl_records(doc: GraphDocument) -> Iterator[dict]:
    """One record per report, node and edge, each with `kind`; the rest is graph-document JSON."""
    for report in doc.reports:
        yield {"kind": "report", **asdict(report)}
    for node in doc.nodes:
        yield {"kind": "node", **node.to_dict()}
    dates = {r.id: r.date for r in doc.reports}
    for edge in doc.edges:
        yield {"kind": "edge", **edge.to_dict(), "dates": edge_dates(edge, dates)}


def write_jsonl(doc: GraphDocument, stream: IO[str]) -> None:
    for record in jsonl_records(doc):
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")


def _write_ftm(doc: GraphDocument, stream: IO[str]) -> None:
    from .export_ftm import write_ftm
    write_ftm(doc, stream)


_WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "jsonl": write_jsonl, "ftm": _write_ftm}
