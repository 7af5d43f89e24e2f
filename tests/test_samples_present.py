"""The four invented sample reports ship with the package and read as their headers say."""
from __future__ import annotations

from importlib.resources import files

import pytest

from ufgraph.loaders.read import iter_report_paths, read_report

SAMPLES = files("ufgraph") / "data" / "samples"

EXPECTED = {
    "zhangshu_chambers.txt": dict(
        encoding="utf-8", title="樟树市工商联以“药都青商领航计划”带动商会提质增效",
        date="2023-06-15", source="赣鄱民营经济报", authors=("曾慧敏", "汤志远")),
    "qionglai_hometown_chambers.md": dict(
        encoding="utf-8", title="邛崃市工商联“三联三帮”激活异地商会力量",
        date="2024-03-08", source="天府商会导报", authors=("任可欣",)),
    "changge_party_building.html": dict(
        encoding="utf-8", title="长葛市工商联推动商会党建与会务发展“双提升”",
        date="2023-11-20", source="中原民企周刊", authors=("钟雅琴", "宋一鸣")),
    "liling_ceramics_gbk.txt": dict(
        encoding="gb18030", title="醴陵市工商联“陶商领航计划”助力瓷企转型升级",
        date="2022-12-02", source="潇湘工商报", authors=("葛文涛", "石佳怡")),
}
# Page furniture that the HTML sample carries around its article.
HTML_CLUTTER = ("首页", "要闻", "关于我们", "您的位置", "字体", "默认", "分享到", "QQ空间", "关键词",
                "热点排行", "相关阅读", "商会服务月", "版权所有", "ICP", "联系电话", "统计代码",
                "setFontSize", "font-family", "_hmt", "打印本页", "关闭窗口", "中原民企周刊网")


def test_the_samples_are_all_there():
    found = iter_report_paths([str(SAMPLES)])
    assert sorted(p.name for p in found) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_reads_with_its_metadata(name):
    src = read_report(str(SAMPLES / name))
    got = dict(encoding=src.encoding, title=src.title, date=src.date, source=src.source,
               authors=src.authors)
    assert got == EXPECTED[name]
    assert 1500 <= len(src.text) <= 3000
    assert src.meta_spans and all(src.text[a:b].strip() for a, b in src.meta_spans)


def test_gbk_sample_is_really_gbk():
    raw = (SAMPLES / "liling_ceramics_gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "醴陵市工商联" in raw.decode("gbk")


def test_html_sample_has_no_page_clutter_left():
    raw = (SAMPLES / "changge_party_building.html").read_text(encoding="utf-8")
    text = read_report(str(SAMPLES / "changge_party_building.html")).text
    for clutter in HTML_CLUTTER:
        assert clutter in raw, f"the sample should carry {clutter!r}"
        assert clutter not in text, clutter
    assert "<" not in text and ">" not in text
    assert "长葛市委统战部副部长、市工商联党组书记孔德明介绍" in text
