"""Reading report files: encodings, formats, page clutter, metadata, unreadable files.

Every report here is invented for the test and built in tmp_path.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ufgraph.errors import ReportReadError
from ufgraph.graph.names import content_id
from ufgraph.loaders import read as read_module
from ufgraph.loaders.clean import fold_chars
from ufgraph.loaders.read import iter_report_paths, read_report, read_text, report_files

BODY = ("桐城市委统战部副部长、市工商联党组书记周立华出席会议并讲话。"
        "桐城市新渡镇商会、桐城市包装行业协会、合肥市桐城商会等商会负责人参加会议。")
REPORT = f"桐城市工商联召开商会工作推进会\n2024-04-12 来源:皖江商会周报\n{BODY}\n"
TRADITIONAL = ("桐城市工商聯召開商會工作推進會，會長張為民在會上講話。"
               "與會企業家表示，將積極參與「青藍啟航計劃」，為地方經濟發展貢獻力量。")


def write(tmp_path, name: str, data: str | bytes):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def lines_of(src) -> list[str]:
    """The text's non-blank lines (paragraphs and removed debris may leave one blank line)."""
    return [line for line in src.text.split("\n") if line]


# --------------------------------------------------------------------------- encodings


def test_plain_utf8(tmp_path):
    src = read_report(write(tmp_path, "r.txt", REPORT))
    assert src.encoding == "utf-8"
    assert BODY.replace("，", ",") in src.text
    assert src.id == content_id(src.text)


@pytest.mark.parametrize("data, encoding", [
    (b"\xef\xbb\xbf" + REPORT.encode("utf-8"), "utf-8-sig"),
    (REPORT.encode("utf-16"), "utf-16"),
    (b"\xff\xfe" + REPORT.encode("utf-16-le"), "utf-16"),
    (b"\xfe\xff" + REPORT.encode("utf-16-be"), "utf-16"),
    (REPORT.encode("utf-32"), "utf-32"),
    (REPORT.encode("gbk"), "gb18030"),
    (REPORT.encode("gb18030"), "gb18030"),
    (REPORT.encode("utf-16-le"), "utf-16-le"),
])
def test_encodings_are_detected_and_give_the_same_text(tmp_path, data, encoding):
    plain = read_report(write(tmp_path, "plain.txt", REPORT))
    src = read_report(write(tmp_path, "other.txt", data))
    assert src.encoding == encoding
    assert src.text == plain.text
    assert src.id == plain.id
    assert "\ufeff" not in src.text


def test_gb18030_four_byte_characters(tmp_path):
    text = "南丹县工商联会员、广西䶮源矿业有限公司董事长覃建新当选商会会长。" * 3
    src = read_report(write(tmp_path, "r.txt", text.encode("gb18030")))
    assert src.encoding == "gb18030"
    assert "䶮源矿业" in src.text


def test_big5_is_detected_and_converted_to_simplified(tmp_path):
    src = read_report(write(tmp_path, "r.txt", (TRADITIONAL * 3).encode("big5")))
    assert src.encoding == "big5"
    assert "桐城市工商联召开商会工作推进会" in src.text
    assert "工商聯" in src.original


@pytest.mark.parametrize("text, encoding, label", [
    ("工商联", "gbk", "gb18030"), ("中国", "gbk", "gb18030"), ("商会成立", "gbk", "gb18030"),
    ("工商聯", "big5", "big5"), ("總商會", "big5", "big5"), ("會長張為民講話", "big5", "big5"),
])
def test_a_few_characters_in_a_legacy_encoding(tmp_path, text, encoding, label):
    src = read_report(write(tmp_path, "short.txt", text.encode(encoding)))
    assert src.encoding == label
    assert (src.original or src.text) == text


def test_legacy_encoding_after_a_long_ascii_head(tmp_path):
    # the first non-UTF-8 byte lies far beyond a 64 KB sample taken from the start
    page = "<!-- " + "x" * 100_000 + " -->\n<p>" + BODY * 5 + "</p>"
    src = read_report(write(tmp_path, "r.html", page.encode("gbk")))
    assert src.encoding == "gb18030"
    assert "新渡镇商会" in src.text


def test_scattered_nul_bytes_are_removed(tmp_path):
    data = REPORT.encode("utf-8")
    dirty = data[:10] + b"\x00" + data[10:40] + b"\x00\x00" + data[40:]
    src = read_report(write(tmp_path, "r.txt", dirty))
    assert "\x00" not in src.text
    assert src.text == read_text(REPORT).text


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>桐城市工商联召开商会工作推进会_皖江商会网</title>
<style>.nav { color: red } 样式里的文字</style>
<script>var note = "脚本里的文字";</script></head>
<body>
<header><div class="logo">皖江商会网</div></header>
<nav><ul><li>首页</li><li>要闻</li><li>商会之窗</li></ul></nav>
<div class="breadcrumb">您的位置：首页 &gt; 要闻 &gt; 正文</div>
<article>
  <h1>桐城市工商联召开商会工作推进会</h1>
  <div class="info">发布时间：2024-04-12 10:00　来源：皖江商会周报</div>
  <p>桐城市委统战部副部长、市工商联党组书记周立华出席会议并讲话。</p>
  <p>桐城市新渡镇商会与桐城市包装行业协会签订结对共建协议。</p>
  <div class="share">分享到：微信 微博</div>
</article>
<aside><h3>热点排行</h3><p>侧栏里的文章标题</p></aside>
<form><label>搜索表单文字</label></form>
<noscript>请开启脚本</noscript>
<footer>版权所有 皖江商会网</footer>
<script>document.write("统计代码");</script>
</body></html>"""


def test_html_keeps_the_article_and_drops_the_page_furniture(tmp_path):
    src = read_report(write(tmp_path, "page.html", PAGE))
    for clutter in ("脚本里的文字", "样式里的文字", "首页", "您的位置", "分享到", "热点排行",
                    "侧栏", "搜索表单", "请开启脚本", "版权所有", "统计代码", "皖江商会网"):
        assert clutter not in src.text, clutter
    assert "桐城市委统战部副部长、市工商联党组书记周立华出席会议并讲话。" in lines_of(src)
    assert "桐城市新渡镇商会与桐城市包装行业协会签订结对共建协议。" in lines_of(src)
    assert src.title == "桐城市工商联召开商会工作推进会"
    assert (src.date, src.source) == ("2024-04-12", "皖江商会周报")


def test_html_content_box_keeps_title_and_date_lines_from_above_it(tmp_path):
    page = ("<html><body><div class='menu'>首页 要闻</div>"
            "<div class='title'><h1>宿松县商会换届</h1></div>"
            "<div class='meta'>2023年9月1日 来源：皖江商会周报</div><div>扫码关注我们</div>"
            f"<div id='zoom'><p>{BODY}</p><p>{BODY}</p></div>"
            "<div class='links'>友情链接 某某网站</div></body></html>")
    src = read_report(write(tmp_path, "page.htm", page))
    assert lines_of(src)[:2] == ["宿松县商会换届", "2023年9月1日 来源:皖江商会周报"]
    assert "扫码关注" not in src.text and "友情链接" not in src.text and "首页" not in src.text
    assert src.date == "2023-09-01"


def test_html_title_tag_when_there_is_no_h1(tmp_path):
    page = f"<html><head><title>怀宁县工商联举办培训班 - 皖江商会网</title></head><body><p>{BODY}</p></body></html>"
    assert read_report(write(tmp_path, "p.html", page)).title == "怀宁县工商联举办培训班"


def test_unclosed_and_stray_html_tags_do_not_crash(tmp_path):
    page = "<html><body><div><p>第一段文字<p>第二段文字</span></b><div><table><tr><td>甲商会<td>乙商会<div class="
    src = read_report(write(tmp_path, "broken.html", page))
    assert lines_of(src)[:2] == ["第一段文字", "第二段文字"]
    assert "甲商会 乙商会" in src.text


def test_html_entities_hidden_boxes_and_line_breaks():
    page = ("<html><body><p>岳西县商会&amp;协会<br>第二行</p>"
            "<div style='display: none'>隐藏的文字</div><div hidden>也隐藏</div></body></html>")
    src = read_text(page, "p.html")
    assert lines_of(src) == ["岳西县商会&协会", "第二行"]


def test_read_text_recognises_an_html_page_without_a_suffix():
    src = read_text(f"<!DOCTYPE html><html><body><script>脚本文字</script><p>{BODY}</p></body></html>")
    assert "脚本文字" not in src.text and "<p>" not in src.text


# --------------------------------------------------------------------------- Markdown


def test_markdown_markup_is_stripped(tmp_path):
    md = ("# 望江县工商联**商会**建设\n\n"
          "> 导语：望江县[工商联](https://example.org/a)推动商会规范发展。\n\n"
          "## 一、*组织*建设\n\n"
          "- 望江县华阳镇商会完成换届；\n"
          "1. 望江县纺织行业协会建立党支部；\n\n"
          "![现场照片](img/a.jpg)\n"
          "```\n代码块里的一行\n```\n"
          "| 商会 | 会员 |\n|---|---|\n| 华阳镇商会 | 120 |\n\n"
          "---\n"
          "详见 `附件` 与 [文件][1]。\n\n[1]: https://example.org/doc\n")
    src = read_report(write(tmp_path, "r.md", md))
    assert src.title == "望江县工商联商会建设"
    lines = [line for line in lines_of(src) if line]
    assert lines == ["望江县工商联商会建设", "导语:望江县工商联推动商会规范发展。", "一、组织建设",
                     "望江县华阳镇商会完成换届;", "望江县纺织行业协会建立党支部;", "代码块里的一行",
                     "商会   会员", "华阳镇商会   120", "详见 附件 与 文件。"]


# --------------------------------------------------------------------------- clean-up

DEBRIS = ["|", "| | |", "【字体】 大 默认 小", "| 【字体】 | 大 | | 默认 | | 小 |", "字号:大 中 小",
          "您的位置:首页>新闻中心>正文", "当前位置：首页 > 地方动态", "关键词: 商会 工商联 民营经济",
          "分享到：微信 微博 QQ空间", "【打印本页】【关闭窗口】", "打印 | 关闭", "责任编辑：某某",
          "（责任编辑：某某）", "上一篇：某县商会成立", "下一篇：某市工商联开会"]


@pytest.mark.parametrize("debris", DEBRIS)
def test_debris_lines_are_removed(debris):
    src = read_text(f"枞阳县商会召开理事会\n{debris}\n{BODY}\n{debris}\n")
    assert lines_of(src) == ["枞阳县商会召开理事会", BODY.replace("，", ",")]


def test_related_reading_and_its_link_titles_are_removed():
    src = read_text(f"{BODY}\n\n相关阅读\n某县商会换届选举\n\n某市工商联召开会议\n")
    assert src.text == BODY


def test_line_endings_blank_runs_and_line_spaces():
    src = read_text("  潜山市商会成立  \r\n\r\n\r\n\r\n\t第一段。 \r第二段。\r\n\n\n")
    assert src.text == "潜山市商会成立\n\n第一段。\n第二段。"


def test_zero_width_characters_are_removed():
    src = read_text("太湖县\u200b工商联\u200c召开\u200d会议\ufeff。\u2060")
    assert src.text == "太湖县工商联召开会议。"


def test_full_width_ascii_is_folded_and_chinese_punctuation_kept():
    src = read_text("ＡＢＣ商会（总商会）：会员１２０家，成立于２０２０年！、。“”《章程》")
    assert src.text == "ABC商会(总商会):会员120家,成立于2020年!、。“”《章程》"


def test_every_full_width_form_folds_and_regex_marks_pass_through():
    # fold_chars is one regex over a character class: each of the 94 forms (！ to ～) must
    # fold, and the ASCII marks a class treats specially must come out as they went in.
    forms = "".join(chr(cp) for cp in range(0xFF01, 0xFF5F))
    ascii_twins = "".join(chr(cp) for cp in range(0x21, 0x7F))
    assert fold_chars(forms + "\u00a0\u2028\x7f") == ascii_twins + " \n"
    assert fold_chars("]\\^-[商会]") == "]\\^-[商会]"


# --------------------------------------------------------------------------- metadata


@pytest.mark.parametrize("written, iso", [
    ("2023-10-11", "2023-10-11"),
    ("2022年10月31日", "2022-10-31"),
    ("2022-10-31 08:59:21", "2022-10-31"),
    ("2022/10/31", "2022-10-31"),
    ("2022.1.5", "2022-01-05"),
    ("2023年2月30日", ""),
])
def test_publication_dates(written, iso):
    src = read_text(f"宿松县工商联开展走访活动\n{written}   来源:皖江商会周报\n{BODY}")
    assert src.date == iso
    assert src.source == "皖江商会周报"


def test_a_date_in_the_body_is_not_the_publication_date():
    src = read_text(f"宿松县工商联开展走访活动\n2023年5月6日,宿松县工商联组织商会负责人走访会员企业。{BODY}")
    assert src.date == ""
    assert src.meta_spans == ()


@pytest.mark.parametrize("line, source", [
    ("来源:皖江商会周报 字数:1200", "皖江商会周报"),
    ("来源：皖江商会周报　作者：某某", "皖江商会周报"),
    ("来源:皖江商会周报 | 浏览次数:30", "皖江商会周报"),
    ("2024-01-02 来源: 江淮日报/江淮新闻网", "江淮日报/江淮新闻网"),
])
def test_source_is_cut_at_the_next_field(line, source):
    assert read_text(f"岳西县商会成立党支部\n{line}\n{BODY}").source == source


@pytest.mark.parametrize("header, authors", [
    ("作者: ■林木森 本报记者 高远航", ("林木森", "高远航")),
    ("作者: ■林木森本报记者高远航 来源:皖江商会周报", ("林木森", "高远航")),
    ("本报记者 苏明远 通讯员 程小雨", ("苏明远", "程小雨")),
    ("作者:\n■韦晓光 来源:皖江商会周报 字数:900", ("韦晓光",)),
    ("作者:\n韦晓光 陶一丹", ("韦晓光", "陶一丹")),
])
def test_authors_in_the_header(header, authors):
    src = read_text(f"怀宁县商会举办培训班\n{header}\n{BODY}")
    assert src.authors == authors
    assert all(src.text[a:b] in header.split("\n") for a, b in src.meta_spans)


@pytest.mark.parametrize("ending, authors", [
    ("（范志成）", ("范志成",)),
    ("(范志成)", ("范志成",)),
    ("（记者 范志成 通讯员 龙雨桐）", ("范志成", "龙雨桐")),
    ("（完）", ()),
    ("（市工商联）", ()),
    ("（2023年）", ()),
])
def test_closing_byline(ending, authors):
    src = read_text(f"潜山市商会召开会员大会\n{BODY}\n会员企业表示将积极参与。{ending}")
    assert src.authors == authors
    spans = [src.text[a:b] for a, b in src.meta_spans]
    assert spans == ([ending.replace("（", "(").replace("）", ")")] if authors else [])


def test_closing_source_line():
    src = read_text(f"潜山市商会召开会员大会\n{BODY}\n(来源:江淮日报/江淮新闻网)")
    assert src.source == "江淮日报/江淮新闻网"
    assert [src.text[a:b] for a, b in src.meta_spans] == ["(来源:江淮日报/江淮新闻网)"]


def test_metadata_lines_stay_in_the_text_and_their_spans_cover_them():
    text = ("2023-10-11 第06版:要闻\n您的位置:首页\n太湖县工商联推动商会提质\n作者: ■林木森 来源:皖江商会周报 字数:1800\n"
            f"{BODY}")
    src = read_text(text)
    assert src.title == "太湖县工商联推动商会提质"
    assert [src.text[a:b] for a, b in src.meta_spans] == [
        "2023-10-11 第06版:要闻", "作者: ■林木森 来源:皖江商会周报 字数:1800"]
    assert (src.date, src.source, src.authors) == ("2023-10-11", "皖江商会周报", ("林木森",))
    body_start = src.text.index(BODY[:10])
    assert all(b <= body_start for _, b in src.meta_spans)


def test_title_of_a_report_that_starts_with_a_paragraph():
    src = read_text("商会是联系政府和企业的桥梁和纽带。" + BODY * 3)
    assert src.title == "商会是联系政府和企业的桥梁和纽带"


def test_report_without_metadata():
    src = read_text(BODY)
    assert (src.date, src.source, src.authors, src.meta_spans) == ("", "", (), ())


# --------------------------------------------------------------------------- traditional → simplified


def test_traditional_is_converted_and_the_original_kept():
    src = read_text(TRADITIONAL)
    assert src.text.startswith("桐城市工商联召开商会工作推进会,会长张为民在会上讲话。")
    assert "“青蓝启航计划”" not in src.text  # 「」 are not quotes that OpenCC rewrites
    assert "「青蓝启航计划」" in src.text
    assert src.original.startswith("桐城市工商聯召開商會工作推進會,會長張為民")
    assert len(src.original) == len(src.text)
    assert src.id == content_id(src.text)


def test_simplified_text_has_no_original():
    assert read_text(REPORT).original is None


# --------------------------------------------------------------------------- unreadable files


def _error_for(path) -> ReportReadError:
    with pytest.raises(ReportReadError) as caught:
        read_report(path)
    assert str(caught.value).startswith(str(path))
    return caught.value


def test_missing_file(tmp_path):
    assert "no such file" in _error_for(tmp_path / "nope.txt").reason


def test_directory_where_a_file_is_expected(tmp_path):
    assert "directory" in _error_for(tmp_path).reason


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b" \n\t\r\n   ", "whitespace only"),
    ("\u3000\u200b\ufeff\n".encode("utf-8"), "whitespace only"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(40), "ZIP"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    (bytes([0, 1, 2, 0, 0, 7, 0, 200]) * 100, "binary"),
    ("商会".encode("utf-8") + b"\xff\x80" * 50, "cannot decode"),
    (b"\xef\xbb\xbf\xff\xfe\xfd", "byte-order mark"),
    ("，。！？……——123 456 %%% ### ".encode("utf-8"), "no Chinese characters or letters"),
    ("<html><script>var a = 1;</script><style>p{}</style></html>".encode("utf-8"), "no text left"),
    ("您的位置:首页>新闻\n【字体】 大 默认 小\n".encode("utf-8"), "no text left"),
])
def test_unreadable_files_give_one_clear_error(tmp_path, data, reason):
    name = "page.html" if data.startswith(b"<html") else "r.txt"
    assert reason in _error_for(write(tmp_path, name, data)).reason


def test_read_text_errors_name_the_given_path():
    with pytest.raises(ReportReadError, match="^stdin: whitespace only"):
        read_text("  \n ", "stdin")


# --------------------------------------------------------------------------- size


@pytest.mark.parametrize("encoding, label", [("utf-8", "utf-8"), ("gbk", "gb18030")])
def test_a_ten_megabyte_report(tmp_path, encoding, label):
    paragraph = BODY + "\n"
    copies = 10_000_000 // len(paragraph.encode(encoding)) + 1
    src = read_report(write(tmp_path, "big.txt", (paragraph * copies).encode(encoding)))
    assert src.encoding == label
    assert src.text.count("新渡镇商会") == copies


@pytest.mark.parametrize("name, wrap", [
    ("long.txt", "{}"), ("long.md", "**{}"), ("long.html", "<p>{}"),
])
def test_a_line_of_400000_characters(tmp_path, name, wrap):
    line = ("商会[会员]企业开展(技术)交流，" * 25_000)[:400_000]
    src = read_report(write(tmp_path, name, wrap.format(line)))
    assert "\n" not in src.text
    assert len(src.text) >= 399_000


# --------------------------------------------------------------------------- paths and ids


def test_iter_report_paths_expands_directories(tmp_path):
    for name in ("a.txt", "sub/b.md", "sub/c.html", "sub/deep/d.htm", "sub/E.TXT",
                 "notes.pdf", ".hidden/f.txt", "sub/.g.txt"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(REPORT, encoding="utf-8")
    found = iter_report_paths([tmp_path / "sub", tmp_path / "a.txt", tmp_path / "notes.pdf"])
    names = [p.relative_to(tmp_path).as_posix() for p in found]
    assert names == sorted(names)
    assert set(names) == {"a.txt", "notes.pdf", "sub/E.TXT", "sub/b.md", "sub/c.html", "sub/deep/d.htm"}


def test_iter_report_paths_missing_path(tmp_path):
    with pytest.raises(ReportReadError, match="gone"):
        iter_report_paths([tmp_path, tmp_path / "gone"])
    with pytest.raises(ReportReadError, match="gone"):
        report_files([str(tmp_path), str(tmp_path / "gone")])


def test_report_files_are_the_same_files_as_absolute_strings(tmp_path, monkeypatch):
    for name in ("a.txt", "sub/b.md", "sub/deep/c.html", "sub/.hidden.txt", "other/d.txt"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(REPORT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    named = ["sub", "a.txt", str(tmp_path / "other" / "d.txt"), "./a.txt"]  # relative, absolute, twice
    listing = report_files(named)
    files = listing.files
    assert files == sorted(str(p.resolve()) for p in iter_report_paths(named))
    assert files == sorted(files) and len(files) == 4
    assert listing.folders == ["sub"]
    # the files named outright, with the stat taken to list them
    assert sorted(listing.stats) == [str(tmp_path / "a.txt"), str(tmp_path / "other" / "d.txt")]
    assert all(st.st_size == os.stat(path).st_size and st.st_mtime_ns == os.stat(path).st_mtime_ns
               for path, st in listing.stats.items())


def test_same_content_same_id_whatever_the_line_endings(tmp_path):
    unix = read_report(write(tmp_path, "a.txt", REPORT))
    windows = read_report(write(tmp_path, "b.txt", REPORT.replace("\n", "\r\n").encode("gbk")))
    other = read_report(write(tmp_path, "c.txt", REPORT.replace("周立华", "周立新")))
    assert unix.id == windows.id != other.id


# --------------------------------------------------------------------------- properties

NAMES = st.sampled_from(["r.txt", "r.md", "r.html", "<text>"])


@settings(max_examples=300, deadline=None)
@given(raw=st.text(), name=NAMES)
def test_read_text_raises_nothing_but_report_read_error(raw, name):
    try:
        src = read_text(raw, name)
    except ReportReadError as exc:
        assert exc.path == name
        return
    assert src.text and "\r" not in src.text and "\u200b" not in src.text
    assert src.original is None or len(src.original) == len(src.text)
    assert all(0 <= a < b <= len(src.text) for a, b in src.meta_spans)


def _spliced(parts) -> bytes:
    text, encoding, noise, at = parts
    data = text.encode(encoding, errors="ignore")
    cut = min(at, len(data))
    return data[:cut] + noise + data[cut:]


BYTES = st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.text(max_size=300), st.sampled_from(["utf-8", "gb18030", "big5", "utf-16"]),
              st.binary(max_size=6), st.integers(0, 600)).map(_spliced),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=BYTES, name=NAMES)
def test_read_report_raises_nothing_but_report_read_error(tmp_path, data, name):
    path = write(tmp_path, name.strip("<>") or "r.txt", data)
    try:
        src = read_report(path)
    except ReportReadError as exc:
        assert exc.path == str(path)
        return
    assert src.text and src.id == content_id(src.text)


def test_a_file_past_the_size_cap_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(read_module, "MAX_REPORT_BYTES", 1024)
    assert read_report(write(tmp_path, "fits.txt", REPORT)).text  # a few hundred bytes: read
    error = _error_for(write(tmp_path, "huge.txt", REPORT * 20))
    assert "larger than" in error.reason and "too large" in error.reason
