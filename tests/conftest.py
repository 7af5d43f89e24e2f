"""Shared fixtures: the real Neo4j test server, a clean driver for it, and
the seed reports beside the repository.

Missing prerequisites skip the tests that need them, with the reason; in CI
they fail instead (UFGRAPH_REQUIRE_NEO4J=1 for Neo4j, CI for the seeds), so
a green CI run means those tests really ran.
"""
from __future__ import annotations

import os
from pathlib import Path

import neo4j
import pytest

from neo4j_server import start_test_server
from ufgraph.errors import UfgraphError


def _unavailable(reason: str, required: bool):
    if required:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A Neo4j 5 LTS server for the whole session (built on first use), stopped at the end."""
    try:
        handle, reason = start_test_server(tmp_path_factory.mktemp("neo4j")), ""
    except (UfgraphError, OSError) as exc:
        handle, reason = None, f"Neo4j test server unavailable: {exc}"
    if reason:  # outside the except block, so the report is the reason alone
        _unavailable(reason, os.environ.get("UFGRAPH_REQUIRE_NEO4J") == "1")
    yield handle
    handle.stop()


@pytest.fixture
def neo4j_driver(neo4j_server):
    """A driver for the test server, with the database emptied (schema kept)."""
    driver = neo4j.GraphDatabase.driver(neo4j_server.uri,
                                        auth=(neo4j_server.user, neo4j_server.password))
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_server.database)
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed reports in ../shared/seeds, beside the repository."""
    path = (Path(__file__).parents[1] / ".." / "shared" / "seeds").resolve()
    if not path.is_dir():
        _unavailable(f"seed reports not found at {path}", bool(os.environ.get("CI")))
    return path
