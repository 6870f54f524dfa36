from openpyxl import load_workbook

from .conftest import run_cli


def test_demo_runs_end_to_end(tmp_path):
    r = run_cli("demo", "--dir", str(tmp_path / "demo"), timeout=120)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "czzj    财政资金直达基层" in out and "逾期" in out and "即将到期" in out and "未监测" in out
    assert "企业微信群机器人收到 5 条消息" in out    # list alerts, then what the pages showed
    # 读网盯网: a student's ID number in a column's article, a feed item's ID and phone, an error word.
    assert "读网盯网：新信息中发现 5 处内容问题" in out and "身份证号 610302＊＊＊＊＊＊＊＊1238" in out
    assert "610302201003051238" not in out and "61030219480512001X" not in out
    assert "首页更新：达标，最新信息 2021-12-30（5 天前）" in out
    assert "【逾期】财政局「财政资金直达基层」要求1条/月，2021年12月未更新，截止 2021-12-31" in out
    assert "2021年四季度未达标单位：财政局、公安分局" in out
    assert "找到 5 个带日期列表的栏目" in out and "民政局「社会救助和社会福利」" in out
    reports = tmp_path / "demo" / "reports"
    for name in ("2021Q4.json", "2021Q4.md", "2021Q4.html", "2021Q4.xlsx", "2021Q4-通报草稿.md", "2021Q4-通报草稿.docx"):
        assert (reports / name).stat().st_size > 500, name
    digest = (tmp_path / "demo" / "state" / "digests" / "2022-01-04.md").read_text(encoding="utf-8")
    assert "## 逾期（2）" in digest
    wb = load_workbook(reports / "2021Q4.xlsx")
    assert [n[:3] for n in wb.sheetnames[:4]] == ["附件1", "附件2", "附件3", "附件4"]    # the whole notice
    rows = list(wb["附件2 区政府网站栏目更新统计表"].iter_rows(min_row=4, max_row=9, values_only=True))[1:]
    assert rows[0][0] == "财政资金直达基层" and rows[0][-2] == "不达标" and rows[0][-1] == "2021年12月未更新（要求1条/月）"
    # The config the demo wrote works on its own.
    r = run_cli("--config", str(tmp_path / "demo" / "config.toml"), "status", "--as-of", "2022-01-04T09:00", "--json")
    assert r.returncode == 0 and '"state": "overdue"' in r.stdout
