"""The `evidence` text both stores keep on a relationship: its evidence as a JSON list of
objects with the fields of model.Evidence, in field order (what `json.dumps(..., ensure_ascii=False)`
of those dicts gives, which is what readers parse back with Evidence.from_dict).

Written once per relationship on every full write, so it is built by formatting rather than
through dicts and the JSON encoder: half the time, the same text.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from json.encoder import encode_basestring as _quoted  # json's own escaping (ensure_ascii=False)

from .model import Evidence

_FIELDS = Evidence._fields
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def evidence_json(evidence: Iterable[Evidence]) -> str:
    return "[" + ", ".join([_one(ev) for ev in evidence]) + "]"


def _one(ev: Evidence) -> str:
    if type(ev.start) is int and type(ev.end) is int:
        try:
            return (f'{{"report": {_quoted(ev.report)}, "sentence": {_quoted(ev.sentence)}, '
                    f'"start": {ev.start}, "end": {ev.end}, "rule": {_quoted(ev.rule)}, "date": {_quoted(ev.date)}}}')
        except TypeError:  # a field that is not text: the encoder says what it makes of it
            pass
    return _to_json({name: getattr(ev, name) for name in _FIELDS})
