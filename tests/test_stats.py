"""`ufgraph stats`: counts of the graph, from graph-document JSON and from the embedded store.

Uses the invented Liuzhou document of test_export.py."""
from __future__ import annotations

import doctest
import json

from click.testing import CliRunner

from test_export import R1, R2, sample_doc
from ufgraph.cli import main
from ufgraph.graph import stats as stats_module
from ufgraph.graph.embedded import EmbeddedStore
from ufgraph.graph.model import GraphDocument, Report
from ufgraph.graph.stats import format_stats, graph_stats


def test_doctests():
    assert doctest.testmod(stats_module, raise_on_error=True).attempted > 0


def test_counts_by_type_in_ontology_order_with_reports_and_dates():
    counts = graph_stats(sample_doc())
    assert counts["nodes"] == 13 and counts["edges"] == 16
    assert list(counts["nodes_by_type"]) == ["Federation", "Chamber", "PartyOrg", "Agency", "Enterprise",
                                             "Institution", "Program", "Event", "Document", "Person", "Place"]
    assert counts["nodes_by_type"]["Person"] == 2 and counts["nodes_by_type"]["Place"] == 2
    assert counts["edges_by_type"]["HOLDS_POST"] == 6 and counts["edges_by_type"]["LOCATED_IN"] == 2
    assert "MENTIONED_IN" not in counts["edges_by_type"]
    assert counts["mentions"] == 14  # (node, report) pairs: 12 nodes with evidence, two of them in both reports
    assert (counts["reports"], counts["first_date"], counts["last_date"]) == (2, "2022-04-01", "2023-09-15")
    assert counts["from_gazetteer"] == 1 and counts["undated_reports"] == 0


def test_an_empty_graph_and_undated_reports():
    empty = graph_stats(GraphDocument())
    assert (empty["nodes"], empty["edges"], empty["first_date"]) == (0, 0, None)
    assert "no dates" in format_stats(empty)
    undated = graph_stats(GraphDocument([Report(R1, date="2021-01-02"), Report(R2)]))
    assert undated["undated_reports"] == 1
    assert "reports: 2 (2021-01-02 to 2021-01-02, 1 undated)" in format_stats(undated)


def test_text_lists_every_type_with_its_count():
    text = format_stats(graph_stats(sample_doc()))
    assert "nodes: 13" in text and "relationships: 16 (+ 14 MENTIONED_IN)" in text
    assert any(line.split() == ["HOLDS_POST", "6"] for line in text.splitlines())
    assert "from the gazetteer, not a report: 1" in text


def test_stats_command_from_json_and_from_the_embedded_store(tmp_path):
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(sample_doc().to_dict(), ensure_ascii=False), "utf-8")
    runner = CliRunner()
    from_file = runner.invoke(main, ["stats", "--json", "--from-json", str(path)])
    assert from_file.exit_code == 0, from_file.output
    assert json.loads(from_file.output) == graph_stats(sample_doc())

    with EmbeddedStore(tmp_path / "data" / "store") as store:
        store.replace(sample_doc())
    from_store = runner.invoke(main, ["stats", "--data-dir", str(tmp_path / "data")], env={"NEO4J_URI": ""})
    assert from_store.exit_code == 0, from_store.output
    assert "nodes: 13" in from_store.output and "reports: 2 (2022-04-01 to 2023-09-15)" in from_store.output


def test_stats_command_names_a_bad_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    result = CliRunner().invoke(main, ["stats", "--from-json", str(bad)])
    assert result.exit_code == 1 and str(bad) in result.output and "not JSON" in result.output
