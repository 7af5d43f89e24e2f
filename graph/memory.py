"""Giving memory back to the operating system between the phases of a full refresh.

Python allocates small objects in arenas and returns an arena only when every
object in it is gone. Loading ten thousand documents fills about a thousand
arenas, and the entries that functools caches (normalised names, node ids)
made meanwhile are scattered across all of them: after the documents and the
resolved graph are let go, those few entries alone kept 1 GB resident.
Clearing the caches frees the arenas; malloc_trim returns what C code freed.
"""
from __future__ import annotations

import ctypes
import functools
import gc


def release_memory() -> None:
    """Drop every functools cache in the process (they refill as needed), collect, trim the C heap."""
    gc.collect()
    for item in gc.get_objects():
        if isinstance(item, functools._lru_cache_wrapper):
            item.cache_clear()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the arenas Python freed are returned anyway
