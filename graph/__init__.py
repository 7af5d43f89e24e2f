"""The graph side: ontology, records, cross-report resolution and stores."""
