"""Build data/lexicon/divisions.tsv, the administrative-division gazetteer.

Run from the repository root with the project's virtualenv:

    .venv/bin/python scripts/build_divisions.py
    .venv/bin/python scripts/build_divisions.py --source path/to/adcodes.csv --out /tmp/divisions.tsv

The source is the `adcodes.csv` (adcode,name,longitude,latitude) and
`56_nations.csv` bundled with the `cpca` package (built from cpca 0.5.5,
`pip install cpca==0.5.5`; province, city and county rows, no townships). The files are read directly: `import cpca` needs
`pkg_resources`, which recent setuptools no longer ships, so the package is
only located, never imported. Same source, same bytes out (rows sorted by code).

Output columns: code (6-digit adcode), name, short, level
(province | city | county), parent (code of the parent, "" for provinces).

Placeholder rows (市辖区, 县, 省直辖县级行政区划 …) are skipped and their
children attached to the nearest real ancestor, so the districts of the four
direct-administered municipalities sit directly under 北京市 / 上海市 / 天津市 /
重庆市, which stay provinces.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "lexicon" / "divisions.tsv"
HEADER = ("code", "name", "short", "level", "parent")

# Rows that stand for "the rest of this province/city", not for a place.
PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# Suffixes to strip for the short form, per level, tried in order; the first
# one that leaves at least two characters wins.
SUFFIXES = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "city": ("自治州", "地区", "市", "盟"),
    "county": ("自治县", "自治旗", "矿区", "新区", "特区", "市", "县", "区", "旗"),
}
AUTONOMOUS = frozenset({"自治区", "自治州", "自治县", "自治旗"})

# Names whose short form no suffix rule gets right (碑林区 also ends in 林区).
SHORT_OVERRIDES = {"神农架林区": "神农架"}

# Short forms that are ordinary words in running text; matching them would tag
# prose as places (资源 "resources", 比如 "for example", 复兴 "revival", 同仁
# "colleagues", 来宾 "guests", 市中 inside 城市中心 …). Chosen by reading every
# short form that jieba's dictionary also lists as a common non-place word.
# Their full names (资源县, 比如县 …) still match.
GENERIC_SHORTS = frozenset({
    # directions and parts of a town, which also match across "X市" + 南/北/中
    "城中", "城东", "城西", "城北", "城关", "市中", "市南", "市北", "新市", "西市",
    "新城", "老城", "上城", "下城", "古城", "路南", "桥东", "桥西", "铁东", "铁西",
    "河东", "河西", "江北", "江南", "南部", "南岸", "中原", "平原", "河口", "台前",
    "交口", "路桥", "港口",
    # slogans, virtues and everyday words
    "和平", "向阳", "前进", "红旗", "东风", "友好", "工农", "新兴", "振兴", "复兴",
    "新华", "吉利", "太平", "平安", "安定", "合作", "通道", "兴业", "长寿", "解放",
    "共和", "友谊", "资源", "比如", "中方", "延长", "会同", "富裕", "富民", "惠民",
    "爱民", "新民", "同心", "互助", "博爱", "同仁", "威信", "民权", "无为", "安居",
    "乐业", "康乐", "进贤", "清新", "宏伟", "平定", "平和", "大方", "高明", "丰满",
    "方正", "大兴", "来宾", "新建", "商城", "江山", "大观", "天长", "万年",
    # things, landmarks and landscape
    "东方", "中山", "西湖", "白云", "青山", "鼓楼", "钟楼", "温泉", "清水", "凤凰",
    "莲花", "石棉", "海盐", "白玉", "元宝", "宝塔", "灯塔", "平房", "小店", "大厂",
    "天台", "天涯", "麒麟", "龙凤", "七星", "名山", "天山", "泰山", "东海", "南海",
    "东湖", "南湖", "甘泉", "长子", "光泽", "回民", "长安", "大同",
})


def find_source_dir() -> Path:
    """cpca's resources folder, located without importing cpca."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("build_divisions: the cpca package is not installed; pass --source")
    return Path(list(spec.submodule_search_locations)[0]) / "resources"


def read_nations(path: Path) -> tuple[str, ...]:
    """Ethnic names, with 族 and (when two characters or more) without, longest first."""
    names = {line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()}
    names.add("各族")  # 龙胜各族自治县: "of all nationalities"
    bare = {n[:-1] for n in names if n.endswith("族") and len(n) >= 3}
    return tuple(sorted(names | bare, key=lambda n: (-len(n), n)))


def read_adcodes(path: Path) -> dict[str, str]:
    """6-digit code → name; every source code ends in six zeros (no townships)."""
    rows: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"].strip()
            if len(code) != 12 or not code.endswith("000000"):
                sys.exit(f"build_divisions: {path}: unexpected adcode {code!r}")
            rows[code[:6]] = row["name"].strip()
    return rows


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def real_parent(code: str, names: dict[str, str]) -> str:
    """The nearest ancestor that is a real division: skips placeholders and gaps."""
    level = level_of(code)
    candidates = [] if level == "province" else [code[:2] + "0000"]
    if level == "county":
        candidates.insert(0, code[:4] + "00")
    for parent in candidates:
        if parent in names and names[parent] not in PLACEHOLDERS:
            return parent
    return ""


def strip_ethnic(stem: str, nations: tuple[str, ...]) -> str:
    """Drop trailing ethnic names (壮族, 维吾尔 …) while two characters remain."""
    changed = True
    while changed:
        changed = False
        for nation in nations:
            if stem.endswith(nation) and len(stem) - len(nation) >= 2:
                stem, changed = stem[: -len(nation)], True
                break
    # 东乡族自治县 → 东乡: a stem that is itself one ethnic name loses its 族.
    if stem.endswith("族") and stem[:-1] in nations and len(stem) >= 3:
        stem = stem[:-1]
    return stem


def short_form(name: str, level: str, nations: tuple[str, ...]) -> str:
    if name in SHORT_OVERRIDES:
        return SHORT_OVERRIDES[name]
    for suffix in SUFFIXES[level]:
        stem = name[: -len(suffix)]
        if name.endswith(suffix) and len(stem) >= 2:
            if suffix in AUTONOMOUS:
                stem = strip_ethnic(stem, nations)
            return "" if stem in GENERIC_SHORTS else stem
    return ""


def build_rows(names: dict[str, str], nations: tuple[str, ...]) -> list[tuple[str, ...]]:
    rows = []
    for code in sorted(names):
        name = names[code]
        if name in PLACEHOLDERS:
            continue
        level = level_of(code)
        rows.append((code, name, short_form(name, level, nations), level, real_parent(code, names)))
    return rows


def write_tsv(rows: list[tuple[str, ...]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        for row in [HEADER, *rows]:
            fh.write("\t".join(row) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the administrative-division TSV from cpca's data.")
    parser.add_argument("--source", type=Path, help="cpca's adcodes.csv (default: the installed package's)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output TSV path")
    args = parser.parse_args(argv)
    source = args.source or find_source_dir() / "adcodes.csv"
    for needed in (source, source.with_name("56_nations.csv")):
        if not needed.is_file():
            sys.exit(f"build_divisions: {needed}: no such file")
    nations = read_nations(source.with_name("56_nations.csv"))
    rows = build_rows(read_adcodes(source), nations)
    write_tsv(rows, args.out)
    print(f"wrote {len(rows)} divisions to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
