"""Named Cypher query modules, one .cypher file each."""
