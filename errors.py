"""The project's exceptions: one base class, so the CLI can turn any of them
into a clear message (click.ClickException) instead of a traceback."""


class UfgraphError(Exception):
    """Base of every error ufgraph raises on purpose."""


class ReportReadError(UfgraphError):
    """A report file could not be read; names the file and the reason."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class OntologyError(UfgraphError):
    """A node type, relationship type or property the ontology does not know."""


class RecordError(UfgraphError):
    """A graph record (node, edge, document) that does not fit its shape."""


class StoreError(UfgraphError):
    """A graph store failed to open, read or write."""


class StoreDamagedError(StoreError):
    """The store's live database is missing or damaged; writing the whole graph replaces it."""


class StaleStoreError(StoreError):
    """A delta was computed against another graph than the one the store holds."""


class StoreBusyError(StoreError):
    """The store cannot be changed in place now (another process has it open, or its log of
    changes is due to be folded in by a rebuild); the caller writes the whole graph instead."""


class StoreLockedError(StoreError):
    """Another process is refreshing the same data folder."""


class QueryError(UfgraphError):
    """An unknown query module, a bad parameter or a refused query."""


class ConfigError(UfgraphError):
    """Missing or contradictory configuration (paths, environment)."""


class NotLocal(UfgraphError):
    """A change cannot be resolved locally (e.g. an edge between two people); the refresh
    resolves everything instead. Never reaches the user."""
