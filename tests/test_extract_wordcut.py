"""The part-of-speech cut reads jieba's dictionary from data/lexicon/wordcut.bin
instead of loading jieba: the file must be what scripts/build_wordcut.py
writes from the pinned jieba, and the cut must be jieba's."""
from __future__ import annotations

import importlib.util
import logging
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ufgraph.errors import ConfigError
from ufgraph.loaders.wordcut import WORDCUT_FILE, cut, ends_in_verb, is_verb_phrase, name_offset, parse_dictionary, tags

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def posseg():
    import jieba
    import jieba.posseg
    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def _jieba_cut(posseg, text: str) -> list[tuple[str, str]]:
    return [(p.word, p.flag) for p in posseg.cut(text, HMM=False)]


def test_the_committed_dictionary_is_what_the_build_script_writes():
    spec = importlib.util.spec_from_file_location("build_wordcut", ROOT / "scripts" / "build_wordcut.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert (ROOT / WORDCUT_FILE).read_bytes() == build.build(*build.jieba_tables()), \
        "data/lexicon/wordcut.bin is stale: run scripts/build_wordcut.py"


def test_cut_is_jiebas_on_spans_of_the_sample_reports(posseg):
    from ufgraph.loaders.read import read_report
    rnd = random.Random(7)
    for path in sorted((ROOT / "data" / "samples").iterdir()):
        text = read_report(path).text
        for _ in range(150):
            start = rnd.randrange(len(text))
            span = text[start:start + rnd.randrange(1, 40)]
            assert cut(span) == _jieba_cut(posseg, span), span


@pytest.mark.parametrize("text", ["", " ", "\r\n", "a1b2", "3.14万元", "C++和c#", "AT&T公司", "ＡＢＣ工商联",
                                  "某某 商会\u3000会长", "x_y.z", "第12届", "𠀀字"])
def test_cut_is_jiebas_on_latin_digits_and_spaces(posseg, text):
    assert cut(text) == _jieba_cut(posseg, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["工商联", "商会", "不断", "加强", "提高", "服务", "中心", "的", "和", "在", "a", "B",
                                 "7", ".", " ", "、", "+", "#", "\n", "高度重视", "进驻", "打牢"]), max_size=12).map("".join))
def test_cut_is_jiebas_on_mixed_text(posseg, text):
    assert cut(text) == _jieba_cut(posseg, text)


def test_name_offset_and_verb_phrases_use_the_tags():
    assert name_offset("不断加强") == 4  # an adverb and a verb: nothing of a name
    assert name_offset("星河") == 0
    assert is_verb_phrase("打牢") and not is_verb_phrase("星河")


def _ends_in_verb_by_cut(body: str) -> bool:
    found = tags(body)
    return bool(found) and found[-1][1] == "v" and len(found[-1][0]) >= 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["工商联", "商会", "律师", "轮流", "进驻", "服务", "中心", "发展", "促进", "星河", "a",
                                 "7", " ", "·", "打", "牢", "组织", "推进", "联系"]), max_size=8).map("".join))
def test_ends_in_verb_skips_the_cut_only_where_no_verb_can_end(body):
    assert ends_in_verb(body) == _ends_in_verb_by_cut(body)


def test_ends_in_verb_on_spans_of_the_sample_reports():
    from ufgraph.loaders.read import read_report
    rnd = random.Random(11)
    for path in sorted((ROOT / "data" / "samples").iterdir()):
        text = read_report(path).text
        for _ in range(300):
            end = rnd.randrange(1, len(text))
            body = text[max(0, end - rnd.randrange(1, 20)):end]
            assert ends_in_verb(body) == _ends_in_verb_by_cut(body), body
    assert ends_in_verb("律师轮流进驻") and not ends_in_verb("星河")


def test_a_damaged_dictionary_is_a_config_error():
    data = (ROOT / WORDCUT_FILE).read_bytes()
    with pytest.raises(ConfigError, match="x.bin"):
        parse_dictionary(data[:-10], "x.bin")
    with pytest.raises(ConfigError, match="x.bin"):
        parse_dictionary(b"not json\n", "x.bin")
