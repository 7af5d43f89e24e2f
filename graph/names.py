"""Name normalisation shared by extraction, resolution and the stores.

`norm_key` is the key two surface forms must share to be one name: NFKC
folds full-width forms, and quotes, 《》 and spaces carry no identity
(the scorer in shared/eval normalises the same way).
"""
from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

_DROP = dict.fromkeys(map(ord, "“”\"'‘’「」『』《》〈〉 \t\r\n\u3000\u200b\u200c\u200d\ufeff"), None)


# Both are pure and called for every mention; the same names recur within a report and
# across a corpus, so a bounded cache saves about a tenth of extraction time.
@lru_cache(maxsize=65536)
def norm_key(name: str) -> str:
    """The matching key of a name: NFKC, no quotes, no 《》, no white space."""
    return unicodedata.normalize("NFKC", name).translate(_DROP)


@lru_cache(maxsize=65536)
def clean_name(name: str) -> str:
    """A display form: NFKC brackets and punctuation, white space removed, quotes kept."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(text.split()).strip("、，,。；;：: ")


@lru_cache(maxsize=65536)  # pure; a report and a corpus name the same bodies again and again
def node_id(node_type: str, name: str, scope: str = "") -> str:
    """Same input, same id: a hash of the type, the normalised name and an optional scope.

    `scope` separates same-named people that resolution keeps apart.
    """
    digest = hashlib.sha1(f"{node_type}\x1f{norm_key(name)}\x1f{scope}".encode("utf-8")).hexdigest()
    return f"{node_type.lower()}-{digest[:16]}"


def content_id(text: str) -> str:
    """A report's id: a hash of its normalised content."""
    body = "".join(unicodedata.normalize("NFKC", text).split())
    return "r-" + hashlib.sha1(body.encode("utf-8")).hexdigest()[:16]
