"""The stores' evidence text is exactly the JSON of the evidence's fields, and reads back."""
from __future__ import annotations

import json
from hypothesis import given
from hypothesis import strategies as st

from ufgraph.graph.evidence_text import evidence_json
from ufgraph.graph.model import Evidence

any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30)
evidence = st.builds(Evidence, report=any_text, sentence=any_text, start=st.integers(-1, 10**12),
                     end=st.integers(-1, 10**12), rule=any_text, date=any_text)


@given(st.lists(evidence, max_size=4))
def test_the_text_is_what_json_dumps_gives(items):
    expected = json.dumps([ev.to_dict() for ev in items], ensure_ascii=False)
    assert evidence_json(items) == expected
    assert [Evidence.from_dict(d) for d in json.loads(evidence_json(items))] == items


def test_quotes_escapes_and_surrogates_are_encoded_as_json_does():
    ev = Evidence('报告"1"', '他说：“好”\\\n\t\x00\x1f', 0, 5, "rule\u2028", "\ud800")
    assert evidence_json([ev]) == json.dumps([ev.to_dict()], ensure_ascii=False)


def test_fields_that_are_not_text_or_whole_numbers_still_give_the_encoders_json():
    # Evidence does not enforce its types; such values take the encoder's path, not the format.
    odd = [Evidence("r", "s", True, 2.5, "rule", None), Evidence(None, "s", 1, 2, "rule", "")]
    for ev in odd:
        assert evidence_json([ev]) == json.dumps([{name: getattr(ev, name) for name in Evidence._fields}],
                                                 ensure_ascii=False)


def test_no_evidence_is_an_empty_list():
    assert evidence_json([]) == "[]" == json.dumps([])
