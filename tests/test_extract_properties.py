"""Property tests: the extractor accepts any text. Whatever it is given, it
returns a document that fits the strict records and the ontology, or raises
one of the project's own errors — never anything else."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ufgraph.errors import UfgraphError
from ufgraph.graph.model import GraphDocument, Report
from ufgraph.graph.ontology import load_ontology
from ufgraph.loaders.extract import extract_text

# Characters the rules care about, so that random text often forms names, titles and lists.
_PIECES = ["市", "县", "镇", "工商联", "总商会", "商会", "协会", "党支部", "党委", "统战部", "有限公司", "集团",
           "计划", "活动", "会长", "副主席", "党组书记", "、", "，", "。", "“", "”", "《", "》", "(", ")",
           "与", "合作", "挂钩联系", "实施", "举办", "等", "昆山", "江苏省", "王", "李", "欧阳", "<script>", "'", "\"",
           "}", "//", "\x00", "\u200b", "\n", " ", "0", "9"]
_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text, _text)
def test_any_text_gives_a_valid_document_or_a_project_error(title, body):
    try:
        doc = extract_text(title + "\n" + body, Report(id="r-prop", title=title))
    except UfgraphError:
        return
    again = GraphDocument.from_dict(doc.to_dict())
    assert len(again.nodes) == len(doc.nodes)
    onto = load_ontology()
    types = {n.id: n.type for n in doc.nodes}
    for edge in doc.edges:
        assert onto.allows(edge.type, types[edge.source], types[edge.target])
    text = title + "\n" + body
    for node in doc.nodes:
        for ev in node.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)


_NAME_CHARS = st.text(alphabet="甲乙丙丁戊", min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.sets(_NAME_CHARS, max_size=6), st.text(alphabet="甲乙丙丁戊、", max_size=40))
def test_occurrences_of_known_names_are_what_a_longest_first_alternation_finds(names, text):
    import re

    from ufgraph.loaders.extract import _occurrences
    expected = []
    if names:
        pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
        expected = [(m.start(), m.group()) for m in pattern.finditer(text)]
    assert _occurrences(text, names) == expected
