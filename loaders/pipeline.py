"""Report file → one graph document: read, clean, segment, extract, resolve within the report."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import ReportReadError, UfgraphError
from ..graph.model import GraphDocument, Report
from .extract import extract_text
from .read import SourceText, iter_report_paths, read_report


def extract_source(src: SourceText) -> GraphDocument:
    """The graph one report states, with provenance on every node and edge."""
    report = Report(id=src.id, title=src.title, date=src.date, source=src.source,
                    authors=list(src.authors), path=str(src.path))
    doc = extract_text(src.text, report, src.meta_spans)
    if src.original:
        _add_original_forms(doc, src)
    return doc


def extract_path(path: str | Path) -> GraphDocument:
    """Read and extract one report file; raises ReportReadError when it cannot be read."""
    return extract_source(read_report(path))


def _add_original_forms(doc: GraphDocument, src: SourceText) -> None:
    """Keep a traditional-script surface form as an alias of the simplified name."""
    for node in doc.nodes:
        for ev in node.evidence:
            original = src.original[ev.start:ev.end]
            if original and original != src.text[ev.start:ev.end] and original not in node.aliases:
                node.aliases.append(original)


def extract_many(paths: Iterable[str | Path],
                 on_error: Callable[[ReportReadError], None]) -> Iterator[tuple[Path, GraphDocument]]:
    """Extract every report under `paths`; a file that fails goes to `on_error` and the rest go on."""
    for path in iter_report_paths(paths):
        try:
            yield path, extract_path(path)
        except ReportReadError as exc:
            on_error(exc)
        except UfgraphError as exc:
            on_error(ReportReadError(path, str(exc)))
        except (ValueError, KeyError, IndexError, RecursionError) as exc:
            # a bug in a rule must cost one report, not the run; the message says it is ours
            on_error(ReportReadError(path, f"internal extraction error ({type(exc).__name__}: {exc}); please report it"))


def write_document(doc: GraphDocument, out_dir: Path, stem: str) -> Path:
    """Write DIR/<stem>.json atomically (a temporary file renamed into place)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{stem}.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
    return target
