import json
import subprocess
import sys
import time

from monitor.config import load
from monitor.model import Post
from monitor.status import default_since
from monitor.store import Store

from .conftest import at, d, record_read, run_cli

CONFIG = """
[monitor]
database = "state/m.db"
backfill_since = "2021-10-01"

[[units]]
name = "财政局"

[[units]]
name = "公安分局"

[[columns]]
id = "czzj"
name = "财政资金直达基层"
unit = "财政局"
url = "http://127.0.0.1:9/czzj/index.html"
frequency = "1条/月"

[[accounts]]
id = "wbxj"
name = "渭滨小警"
unit = "公安分局"
feed = "http://127.0.0.1:9/wechat/wbxj"

[[accounts]]
id = "cszy"
name = "城市之眼"
unit = "公安分局"
platform = "miniprogram"
"""


def filled_store(path):
    cfg = load(path, env={})
    store = Store(cfg.settings.database)
    store.sync_sources(cfg.sources, default_since(cfg, at("2021-10-01")))
    col = [Post(f"c{i}", f"通知{i}", None, d(day)) for i, day in enumerate(["2021-10-12", "2021-11-02"])]
    for when in ("2021-12-20T08:00", "2022-01-03T20:00"):
        record_read(store, "czzj", col, at(when), d("2021-10-01"))
    acc = [Post(f"a{i}", f"动态{i}", None, day) for i, day in enumerate(cfg.calendar.workdays(d("2021-10-01"), d("2021-12-31"))[4::5])]
    acc.append(Post("r1", "转发：通知", None, d("2021-12-01"), original=False))
    for when in ("2021-12-20T08:00", "2022-01-03T20:00"):
        record_read(store, "wbxj", acc, at(when), d("2021-10-01"))
    store.close()
    return cfg


def test_validate_good_config(write_config):
    path = write_config(CONFIG)
    r = run_cli("--config", str(path), "validate")
    assert r.returncode == 0, r.stderr
    assert "栏目 1 个" in r.stdout and "政务新媒体账号 2 个" in r.stdout and "每个自然月至少1条" in r.stdout


def test_validate_bad_config_exits_nonzero_without_traceback(write_config):
    path = write_config(CONFIG.replace('"1条/月"', '"每月"'))
    r = run_cli("--config", str(path), "validate")
    assert r.returncode == 2
    assert "columns[1]「财政资金直达基层」.frequency" in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_config_is_a_clear_error(tmp_path):
    r = run_cli("--config", str(tmp_path / "nope.toml"), "validate")
    assert r.returncode == 2 and "配置文件不存在" in r.stderr


def test_status_json_shape(write_config):
    path = write_config(CONFIG)
    filled_store(path)
    r = run_cli("--config", str(path), "status", "--json", "--as-of", "2021-12-30T09:00")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["as_of"] == "2021-12-30T09:00:00+08:00"
    by_id = {s["id"]: s for s in data["sources"]}
    assert set(by_id) == {"czzj", "wbxj", "cszy"}
    for s in data["sources"]:
        assert {"id", "kind", "name", "unit", "state", "last_post", "deadline"} <= set(s)
    assert (by_id["czzj"]["kind"], by_id["czzj"]["state"], by_id["czzj"]["deadline"]) == ("column", "due_soon", "2021-12-31")
    assert by_id["czzj"]["last_post"] == "2021-11-02"
    assert by_id["wbxj"]["kind"] == "account" and by_id["wbxj"]["last_post"] == "2021-12-29"
    assert by_id["cszy"]["state"] == "unmonitored"


def test_report_json_shape(write_config):
    path = write_config(CONFIG)
    filled_store(path)
    r = run_cli("--config", str(path), "report", "--period", "2021Q4", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["period"]["start"] == "2021-10-01" and data["period"]["end"] == "2021-12-31"
    col = data["columns"][0]
    assert col["months"] == {"2021-10": 1, "2021-11": 1, "2021-12": 0}
    assert (col["total"], col["compliant"], col["frequency"]) == (2, False, "1条/月")
    acc = {a["id"]: a for a in data["accounts"]}
    assert (acc["wbxj"]["required"], acc["wbxj"]["originals"], acc["wbxj"]["broken"]) == (12, 12, False)
    assert acc["cszy"]["required"] is None and acc["cszy"]["broken"] is None
    assert data["noncompliant_units"] == ["财政局"]


def test_report_rejects_a_bad_period(write_config):
    r = run_cli("--config", str(write_config(CONFIG)), "report", "--period", "2021Q5")
    assert r.returncode == 2 and "2021Q5" in r.stderr


def test_check_only_rejects_unknown_ids(write_config):
    r = run_cli("--config", str(write_config(CONFIG)), "check", "--only", "czzj", "nosuch")
    assert r.returncode == 2 and "nosuch" in r.stderr and "Traceback" not in r.stderr


def test_status_table_in_words(write_config):
    path = write_config(CONFIG)
    filled_store(path)
    r = run_cli("--config", str(path), "status", "--as-of", "2022-01-04")
    assert r.returncode == 0, r.stderr
    line = next(l for l in r.stdout.splitlines() if l.startswith("czzj"))
    assert "逾期" in line and "2021-11-02" in line and "2021-12-31" in line
    assert "未监测" in r.stdout


def test_help_starts_fast():
    best = min(_time([sys.executable, "-m", "monitor", "--help"]) for _ in range(3))
    assert best < 0.3, f"monitor --help took {best:.3f}s"


def _time(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - start


def test_a_command_closes_its_store_and_writes_all_its_output_before_it_leaves(write_config, tmp_path):
    # The command line leaves without tearing the interpreter down; the store must still be closed
    # (its WAL folded back into the file) and stdout and the log file flushed.
    path = write_config(CONFIG.replace('database = "state/m.db"', 'database = "state/m.db"\nlog_file = "state/monitor.log"'))
    filled_store(path)
    r = run_cli("--config", str(path), "check", "--no-notify", "--exit-zero", "--as-of", "2022-01-04T09:00")
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip().splitlines()[-1].startswith("合计")
    assert not (tmp_path / "state" / "m.db-wal").exists()
    logged = (tmp_path / "state" / "monitor.log").read_text(encoding="utf-8")
    assert "czzj「财政资金直达基层」抓取失败" in logged and "wbxj「渭滨小警」抓取失败" in logged
