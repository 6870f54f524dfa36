"""What the officer sees is Chinese, and every time is Beijing time whatever the server's TZ."""

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

import pytest

from monitor.cli import COMMANDS

from .conftest import run_cli
from .site import column_config, serve

ENGLISH_PROSE = re.compile(r"\b[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){2,}")


@pytest.mark.parametrize("command", [None, *sorted(COMMANDS)])
def test_help_has_no_english_prose(command):
    r = run_cli(*([command] if command else []), "--help")
    assert r.returncode == 0
    assert "usage" not in r.stdout.lower() and "options:" not in r.stdout and "show this help" not in r.stdout
    assert ENGLISH_PROSE.search(r.stdout) is None, ENGLISH_PROSE.search(r.stdout)
    assert re.search(r"[\u4e00-\u9fff]", r.stdout)


def test_argparse_errors_are_chinese():
    r = run_cli("report")
    assert r.returncode == 2 and "缺少必填参数：--period" in r.stderr and "required" not in r.stderr
    r = run_cli("status", "--bogus")
    assert "无法识别的参数" in r.stderr


def test_times_are_beijing_time_on_a_utc_server(httpserver, write_config, tmp_path):
    url = serve(httpserver, "/mzj/index.html", "pages/cn_dates.html")
    path = write_config(column_config(url, item=".news .item", date="p.time"))
    env = {**os.environ, "TZ": "UTC"}
    r = run_cli("--config", str(path), "check", "--no-notify", "--exit-zero", env=env)
    assert r.returncode == 0, r.stderr
    beijing = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    stamps = re.findall(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) 信息 ", r.stderr, re.M)
    assert stamps and all(abs(dt.datetime.fromisoformat(s) - beijing) < dt.timedelta(minutes=5) for s in stamps)
    assert "状态（" + beijing.strftime("%Y-%m-%d") in r.stdout
    out = tmp_path / "r.html"
    run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "html", "-o", str(out), env=env)
    generated = re.search(r"生成于 (\d{4}-\d{2}-\d{2} \d{2}:\d{2})", out.read_text(encoding="utf-8")).group(1)
    assert abs(dt.datetime.fromisoformat(generated) - beijing) < dt.timedelta(minutes=5)


def test_an_unwritable_output_is_a_sentence_not_a_traceback(write_config, tmp_path):
    (tmp_path / "afile").write_text("x")
    path = write_config(column_config("http://127.0.0.1:9/c.html"))
    r = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "md", "-o", str(tmp_path / "afile" / "r.md"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("错误：无法读写文件") and "已存在的文件，不能当作目录" in r.stderr
