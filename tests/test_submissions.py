"""附件1 政务信息报送 (issue 12, first part): titles 单位：标题 attributed to units through aliases,
实报 imported from the CMS's CSV export, and the table and the draft's sentences built from them."""

import json

import pytest

from monitor.config import load
from monitor.pipeline import run_check
from monitor.store import Store
from monitor.submissions.attribute import alias_table, attribute

from .conftest import at, run_cli

TITLES = [
    ("区发改局：召开重点项目推进会", "2021-12-20"),          # 区X局：
    ("发改局：开展价格监督检查", "2021-12-10"),              # X局：
    ("渭滨区教体局：举办中小学生艺术展演", "2021-12-05"),     # 渭滨区X局：
    ("石鼓镇:开展冬季防火宣传", "2021-11-30"),               # a half-width colon
    ("渭滨区发展和改革局：发布节能提示", "2021-11-20"),       # a full name given as an alias
    ("区长主持召开常务会议", "2021-11-10"),                   # no prefix: 未归属
    ("某某公司：广告", "2021-11-01"),                        # a prefix no unit has: 未归属
]

CONFIG = """
[monitor]
database = "state/m.db"
backfill_since = "2021-10-01"

[http]
delay_per_host = 0

[submissions]
columns = ["jcdt"]
required = 3

[[units]]
name = "发改局"
aliases = ["渭滨区发展和改革局"]

[[units]]
name = "教体局"
submissions_required = 1

[[units]]
name = "石鼓镇"

[[units]]
name = "经二路办"

[[columns]]
id = "jcdt"
name = "基层动态"
unit = "发改局"
frequency = "1条/周"
url = "{url}"
item = "ul.list > li"
date = "span"
"""


class Units:
    def __init__(self, names_aliases):
        self.name, self.aliases = names_aliases


@pytest.mark.parametrize("title, unit", [
    ("区发改局：召开会议", "发改局"), ("发改局:召开会议", "发改局"), ("渭滨区发展和改革局：节能", "发改局"),
    ("石鼓镇：防火", "石鼓镇"), ("区长主持召开常务会议", None), ("某某公司：广告", None)])
def test_attribution_by_prefix_and_aliases(title, unit):
    aliases = alias_table([Units(("发改局", ("渭滨区发展和改革局",))), Units(("石鼓镇", ()))])
    assert attribute(title, aliases) == unit


def list_page(titles):
    items = "".join(f"<li><a href='/jcdt/{i}.html'>{t}</a><span>{d}</span></li>" for i, (t, d) in enumerate(titles))
    return f"<ul class='list'>{items}</ul>"


# A title from before the period: the list reaches back past 10-01, so the column was seen all quarter.
SEEN_ALL_QUARTER = [*TITLES, ("石鼓镇：三季度总结", "2021-09-28")]


@pytest.fixture
def world(httpserver, write_config):
    httpserver.expect_request("/jcdt/index.html").respond_with_data(list_page(SEEN_ALL_QUARTER), content_type="text/html; charset=utf-8")
    path = write_config(CONFIG.format(url=httpserver.url_for("/jcdt/index.html")))
    cfg = load(path, env={})
    run_check(cfg, Store(cfg.settings.database), at("2022-01-04T09:00"), notify=False)
    return path


def report(path, fmt="json"):
    r = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", fmt, "--as-of", "2022-01-04T09:00")
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_published_titles_make_table_1(world):
    data = json.loads(report(world))
    units = {u["unit"]: u for u in data["submissions"]["units"]}
    assert (units["发改局"]["published"], units["发改局"]["submitted"], units["发改局"]["flagged"]) == (3, None, False)
    assert (units["教体局"]["published"], units["教体局"]["required"], units["教体局"]["flagged"]) == (1, 1, False)
    assert (units["石鼓镇"]["published"], units["石鼓镇"]["flagged"]) == (1, True)
    assert units["经二路办"]["zero"] and units["经二路办"]["published"] == 0
    assert [u["title"] for u in data["submissions"]["unattributed"]] == ["某某公司：广告", "区长主持召开常务会议"]   # oldest first
    assert data["unattributed"] == data["submissions"]["unattributed"]
    md = report(world, "md")
    assert "## 附件1 2021年四季度政务信息报送情况统计表" in md and "| 发改局 | 3 | — | 3 |" in md
    assert "零报送单位：经二路办" in md and "未归属的信息 2 条" in md
    notice = report(world, "notice")
    assert "1. 政务信息报送及采用情况。区政府网站采用各单位报送的政务信息5条（具体见附件1）。" in notice
    assert "政务信息报送不积极。经二路办1家单位未按要求时限和频次报送，报送数量为0。" in notice
    assert "附件：1. 2021年四季度政务信息报送情况统计表" in notice


def test_a_shortfall_is_not_named_for_days_the_column_was_not_seen(httpserver, write_config):
    # The list reaches back only to 11-01: October was never observed, so 0 or 1 of 3 proves nothing.
    httpserver.expect_request("/jcdt/index.html").respond_with_data(list_page(TITLES), content_type="text/html; charset=utf-8")
    path = write_config(CONFIG.format(url=httpserver.url_for("/jcdt/index.html")))
    cfg = load(path, env={})
    run_check(cfg, Store(cfg.settings.database), at("2022-01-04T09:00"), notify=False)
    units = {u["unit"]: u for u in json.loads(report(path))["submissions"]["units"]}
    assert (units["石鼓镇"]["flagged"], units["经二路办"]["flagged"], units["经二路办"]["zero"]) == (None, None, None)
    assert (units["发改局"]["flagged"], units["教体局"]["flagged"]) == (False, False)     # met their quota on what was seen
    md = report(path, "md")
    assert "零报送、未达应报数暂不判定：报送栏目未全程监测（“基层动态”部分（自11-02起））" in md and "零报送单位" not in md
    assert "政务信息报送不积极" not in report(path, "notice")


def test_a_period_still_running_names_no_shortfall(world):
    r = run_cli("--config", str(world), "report", "--period", "2021Q4", "--format", "json", "--as-of", "2021-12-29T09:00")
    units = {u["unit"]: u for u in json.loads(r.stdout)["submissions"]["units"]}
    assert units["经二路办"]["flagged"] is None and units["石鼓镇"]["zero"] is None
    assert units["发改局"]["flagged"] is False
    notice = run_cli("--config", str(world), "report", "--period", "2021Q4", "--format", "notice", "--as-of", "2021-12-29T09:00").stdout
    assert "政务信息报送不积极" not in notice


def test_csv_import_gives_submitted_and_names_every_bad_row(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("单位,标题,日期\n区发改局,召开会议,2021-12-01\n不存在的局,x,2021-12-02\n教体局,y,明天\n", encoding="utf-8")
    r = run_cli("--config", str(world), "import-submissions", str(bad), "--period", "2021Q4")
    assert r.returncode == 2 and "第 3 行" in r.stderr and "不存在的局" in r.stderr and "第 4 行" in r.stderr
    assert "未导入任何数据" in r.stderr
    good = tmp_path / "good.csv"
    good.write_bytes("单位,标题,日期\n区发改局,召开会议,2021-12-01\n渭滨区发展和改革局,发布提示,2021-11-02\n"
                     "发改局,价格检查,2021/10/15\n发改局,第四条,2021年12月30日\n石鼓镇,防火,2021-11-30\n".encode("gbk"))
    r = run_cli("--config", str(world), "import-submissions", str(good), "--period", "2021Q4")
    assert r.returncode == 0, r.stderr
    units = {u["unit"]: u for u in json.loads(report(world))["submissions"]["units"]}
    assert (units["发改局"]["submitted"], units["发改局"]["published"]) == (4, 3)
    assert (units["经二路办"]["submitted"], units["教体局"]["submitted"]) == (0, 0)
    notice = report(world, "notice")
    assert "各单位共报送政务信息5条，网站采用5条" in notice and "教体局、经二路办2家单位" in notice


def test_validate_names_the_prefixes_no_unit_has(world):
    r = run_cli("--config", str(world), "validate")
    assert r.returncode == 0, r.stderr
    assert "无法归属到单位的标题前缀" in r.stdout and "某某公司（1 条）" in r.stdout


def test_a_silent_unit_is_reminded_only_when_the_silence_was_observed(httpserver, write_config):
    from .peers import WeComStub

    httpserver.expect_request("/jcdt/index.html").respond_with_data(list_page(TITLES), content_type="text/html; charset=utf-8")
    stub = WeComStub(httpserver)
    text = CONFIG.format(url=httpserver.url_for("/jcdt/index.html")).replace(
        'required = 3\n', 'required = 3\nremind_after = "3周"\n').replace(
        'name = "石鼓镇"\n', f'name = "石鼓镇"\nwecom = "{stub.webhook("sgz")}"\n') + f"""
[[notify]]
type = "wecom"
webhook = "{stub.webhook('office')}"
"""
    cfg = load(write_config(text), env={})
    store = Store(cfg.settings.database)
    run_check(cfg, store, at("2021-12-29T09:00"))
    office = "\\n".join(stub.delivered("office"))
    # 石鼓镇: nothing since 11-30, observed every day since: reminded, in its own group too.
    assert "石鼓镇已连续 28 天没有信息在报送栏目采用（最近 2021-11-30）" in office
    assert any("石鼓镇已连续" in m for m in stub.delivered("sgz"))
    assert "教体局已连续 23 天" in office and "发改局已连续" not in office     # 发改局 posted on 12-20
    # 经二路办 never posted, but the list only reaches back to 11-01: October was not seen, so no reminder.
    assert "经二路办" not in office
    run_check(cfg, store, at("2021-12-29T15:00"))                     # once a day, not once a check
    assert "\\n".join(stub.delivered("office")).count("石鼓镇已连续") == 1
