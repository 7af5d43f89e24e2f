"""ufgraph: a knowledge graph of the private-economy united-front network,
built from Chinese-language reports."""

__version__ = "0.1.0"
