"""Report files in, one graph document out: read, clean, segment, extract, resolve."""
