"""CSV files for `neo4j-admin database import full`, in the stores' shape.

One file per node set and relationship set, each with its header line:

    reports.csv           id:ID,title,date,source,authors:string[],path,:LABEL
    nodes_<Type>.csv      id:ID,name,type,aliases:string[],reports:string[][,scores],:LABEL   (Entity;<Type>)
    rels_<TYPE>.csv       :START_ID,:END_ID,:TYPE,title,role,what,reports:string[],dates:string[],origin,evidence
    rels_MENTIONED_IN.csv :START_ID,:END_ID,:TYPE,evidence,count:int

The rows are the ones the Neo4j store writes (its write plan), so a
database imported from these files reads back as one the store wrote.
"""
from __future__ import annotations

import csv
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import ConfigError
from .model import SCORES, GraphDocument
from .ontology import load_ontology

ARRAY_DELIMITER = ";"  # neo4j-admin's default, also between the labels of :LABEL
# The ontology treats half- and full-width punctuation as the same name, so a
# ';' inside a list item becomes '；' rather than splitting the item.
_ARRAY_ESCAPE = str.maketrans({ARRAY_DELIMITER: "；"})
MENTIONED_IN = "MENTIONED_IN"
REPORT_COLUMNS = ["id:ID", "title", "date", "source", "authors:string[]", "path"]
NODE_COLUMNS = ["id:ID", "name", "type", "aliases:string[]", "reports:string[]"]
EDGE_TAIL = ["reports:string[]", "dates:string[]", "origin", "evidence"]
MENTION_COLUMNS = [":START_ID", ":END_ID", ":TYPE", "evidence", "count:int"]


@dataclass
class CsvExport:
    """The files written, in the order neo4j-admin should read them, and whether
    any value spans lines (the import then needs --multiline-fields=true)."""

    node_files: list[Path] = field(default_factory=list)
    rel_files: list[Path] = field(default_factory=list)
    multiline: bool = False

    @property
    def files(self) -> list[Path]:
        return [*self.node_files, *self.rel_files]

    def command(self, database: str = "neo4j") -> str:
        """The neo4j-admin command that imports these files into `database`."""
        return import_command(self.node_files, self.rel_files, database, self.multiline)


def import_command(node_files: Iterable[Path], rel_files: Iterable[Path], database: str = "neo4j",
                   multiline: bool = False) -> str:
    """`neo4j-admin database import full --nodes=… --relationships=… <database>`, shell-quoted."""
    parts = ["neo4j-admin", "database", "import", "full"]
    parts += [f"--nodes={path}" for path in node_files]
    parts += [f"--relationships={path}" for path in rel_files]
    if multiline:
        parts.append("--multiline-fields=true")
    parts.append(database)
    return " ".join(shlex.quote(str(p)) for p in parts)


def write_csv(doc: GraphDocument, folder: Path) -> CsvExport:
    """Write the import files of `doc` into `folder` (created if missing)."""
    from .neo4j_store import _WritePlan  # the store's own rows: one shape for both ways in

    plan = _WritePlan.of(doc)
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{folder}: cannot create the export folder: {exc.strerror or exc}") from None
    result = CsvExport()
    report_rows = [{**row, ":LABEL": "Report"} for row in plan.reports]
    _write(result, result.node_files, folder / "reports.csv", [*REPORT_COLUMNS, ":LABEL"], report_rows)
    for label in sorted(plan.entities):
        rows = [{**row["props"], ":LABEL": f"Entity{ARRAY_DELIMITER}{label}"} for row in plan.entities[label]]
        columns = [*NODE_COLUMNS, *_score_columns(rows), ":LABEL"]
        _write(result, result.node_files, folder / f"nodes_{label}.csv", columns, rows)
    for rel in sorted(plan.rels):
        rows = [{":START_ID": r["s"], ":END_ID": r["t"], ":TYPE": rel, **r["props"]} for r in plan.rel_rows(rel)]
        columns = MENTION_COLUMNS if rel == MENTIONED_IN else edge_columns()
        _write(result, result.rel_files, folder / f"rels_{rel}.csv", columns, rows)
    return result


def edge_columns() -> list[str]:
    """The relationship header: ends and type, every ontology property, then provenance."""
    onto = load_ontology()
    props = dict.fromkeys(p for name, spec in onto.rel_types.items() if name != MENTIONED_IN
                          for p in spec.properties)
    return [":START_ID", ":END_ID", ":TYPE", *props, *EDGE_TAIL]


def _score_columns(rows: list[dict]) -> list[str]:
    columns = []
    for key in SCORES:
        values = [row[key] for row in rows if row.get(key) is not None]
        if values:
            kind = "long" if all(isinstance(v, int) for v in values) else "double"
            columns.append(f"{key}:{kind}")
    return columns


def _write(result: CsvExport, files: list[Path], path: Path, columns: list[str], rows: list[dict]) -> None:
    names = [c.split(":")[0] if not c.startswith(":") else c for c in columns]
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                cells = [_cell(row.get(name)) for name in names]
                result.multiline = result.multiline or any("\n" in c or "\r" in c for c in cells)
                writer.writerow(cells)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot write: {exc.strerror or exc}") from None
    files.append(path)


def _cell(value: Any) -> str:
    """A CSV cell as neo4j-admin reads it: lists joined by ';', booleans lower case, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ARRAY_DELIMITER.join(str(v).translate(_ARRAY_ESCAPE) for v in value)
    return str(value)
