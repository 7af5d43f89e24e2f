"""Strict records refuse what the ontology does not know, whichever way they are made."""
from __future__ import annotations

import pytest

from ufgraph.errors import RecordError
from ufgraph.graph.model import Edge, GraphDocument, Node


def test_a_node_of_an_unknown_type_or_without_a_name_is_refused():
    with pytest.raises(RecordError, match="unknown type 'Planet'"):
        Node("x", "Planet", "某星")
    with pytest.raises(RecordError, match="empty name"):
        Node("x", "Chamber", "")


def test_an_edge_of_an_unknown_type_or_with_unknown_properties_is_refused():
    with pytest.raises(RecordError, match="unknown type 'ORBITS'"):
        Edge("a", "b", "ORBITS")
    with pytest.raises(RecordError, match=r"properties \['colour'\] not in the ontology"):
        Edge("a", "b", "HOLDS_POST", {"title": "会长", "colour": "红"})
    assert Edge("a", "b", "HOLDS_POST", {"title": "会长"}).props == {"title": "会长"}
    assert Edge("a", "b", "LOCATED_IN").props == {}


def test_a_document_read_from_data_checks_every_record():
    data = {"reports": [{"id": "r-1"}], "nodes": [],
            "edges": [{"source": "a", "target": "b", "type": "HOLDS_POST", "colour": "红"}]}
    with pytest.raises(RecordError, match="colour"):
        GraphDocument.from_dict(data)
