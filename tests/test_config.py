import datetime as dt

import pytest

from monitor import config
from monitor.config import ConfigError

BASE = """
[monitor]
database = "state/m.db"

[[units]]
name = "财政局"
email = ["czj@example.gov.cn"]

[column_defaults]
item = "ul.list > li"
date = "span"

[[columns]]
id = "czzj"
name = "财政资金直达基层"
unit = "财政局"
url = "http://127.0.0.1/czj/index.html"
frequency = "1条/月"

[[accounts]]
id = "wbxj"
name = "渭滨小警"
unit = "财政局"
platform = "wechat"
"""


def load(write_config, text, env=None):
    return config.load(write_config(text), env=env or {})


def error(write_config, text, env=None) -> str:
    with pytest.raises(ConfigError) as e:
        load(write_config, text, env)
    return str(e.value)


def test_good_config_is_understood(write_config, tmp_path):
    cfg = load(write_config, BASE)
    col = cfg.columns[0]
    assert col.selectors.item == "ul.list > li" and col.selectors.date == "span" and col.selectors.title == "a"
    assert str(col.rule) == "1条/月"
    assert cfg.accounts[0].feed is None and str(cfg.accounts[0].rule) == "1条/5个工作日"
    assert cfg.settings.database == tmp_path / "state/m.db"
    assert cfg.settings.warn_before == dt.timedelta(days=3)


def test_column_keys_override_column_defaults(write_config):
    cfg = load(write_config, BASE.replace('frequency = "1条/月"', 'frequency = "1条/月"\ndate = "em.date"'))
    assert cfg.columns[0].selectors.date == "em.date"
    assert cfg.columns[0].selectors.item == "ul.list > li"


def test_bad_frequency_names_table_and_key(write_config):
    msg = error(write_config, BASE.replace('"1条/月"', '"1条/月份"'))
    assert msg.startswith('config.toml: columns[1]「财政资金直达基层」.frequency = "1条/月份": ')
    assert "1条/2周" in msg


def test_unknown_key_is_an_error_with_a_suggestion(write_config):
    msg = error(write_config, BASE.replace('frequency = "1条/月"', 'frequency = "1条/月"\nfrequncy = "x"'))
    assert "columns[1]「财政资金直达基层」" in msg and "frequncy" in msg and "frequency" in msg


def test_unknown_top_level_table(write_config):
    assert "monitr" in error(write_config, BASE + '\n[monitr]\nx = 1\n')


def test_duplicate_ids(write_config):
    extra = BASE + """
[[columns]]
id = "czzj"
name = "另一个"
unit = "财政局"
url = "http://127.0.0.1/x.html"
frequency = "1条/月"
"""
    msg = error(write_config, extra)
    assert "columns[2]「另一个」.id" in msg and "重复" in msg


def test_unit_not_listed(write_config):
    msg = error(write_config, BASE.replace('unit = "财政局"\nurl', 'unit = "司法局"\nurl'))
    assert "columns[1]「财政资金直达基层」.unit" in msg and "司法局" in msg


def test_bad_url(write_config):
    msg = error(write_config, BASE.replace("http://127.0.0.1/czj/index.html", "www.example.gov.cn/czj"))
    assert "columns[1]「财政资金直达基层」.url" in msg and "网址" in msg


def test_bad_duration(write_config):
    msg = error(write_config, BASE.replace('database = "state/m.db"', 'database = "state/m.db"\ncheck_every = "6 hours"'))
    assert "monitor.check_every" in msg and '"6h"' in msg


def test_bad_selector(write_config):
    msg = error(write_config, BASE.replace('date = "span"', 'date = "span[["'))
    assert "column_defaults.date" in msg and "选择器" in msg


def test_bad_platform(write_config):
    msg = error(write_config, BASE.replace('platform = "wechat"', 'platform = "wx"'))
    assert "accounts[1]「渭滨小警」.platform" in msg


def test_environment_variables_are_substituted(write_config):
    text = BASE.replace("http://127.0.0.1/czj/index.html", "http://${SITE}/czj/index.html")
    assert load(write_config, text, {"SITE": "127.0.0.2"}).columns[0].url == "http://127.0.0.2/czj/index.html"
    assert "环境变量 SITE" in error(write_config, text)


def test_password_only_from_environment(write_config):
    channel = """
[[notify]]
type = "email"
smtp_host = "127.0.0.1"
sender = "m@example.gov.cn"
to = ["a@example.gov.cn"]
"""
    msg = error(write_config, BASE + channel + 'password = "secret"\n')
    assert "notify[1].password" in msg
    cfg = load(write_config, BASE + channel + 'password_env = "PW"\n', {"PW": "s3cret"})
    assert cfg.channels[0].password == "s3cret"
    assert "PW" in error(write_config, BASE + channel + 'password_env = "PW"\n')


def test_toml_syntax_error_names_the_file(write_config):
    assert error(write_config, BASE + "\n[[columns]\n") == "config.toml: 配置文件格式错误：第 26 行第 10 列，表数组的名称应写成 [[名称]]，缺少 ]]"
    assert error(write_config, BASE + '\n[http]\ntimeout = 20秒\n').endswith("值的后面还有多余的内容（文字要加英文双引号，如 \"1条/月\"；一行只写一个配置项）")


def test_bundled_example_config_is_valid():
    from pathlib import Path

    cfg = config.load(Path(__file__).parent.parent / "config.toml", env={})
    assert len(cfg.columns) == 40 and len(cfg.accounts) == 20


def test_content_and_site_tables_name_the_broken_key(write_config):
    from monitor.config import ConfigError, load

    base = """
[[units]]
name = "财政局"

[[columns]]
id = "c1"
name = "工作动态"
unit = "财政局"
frequency = "1条/月"
url = "http://127.0.0.1:9/c.html"
"""
    cases = [
        ("[content]\nallow_numbers = [\"热线12345\"]\n", "content.allow_numbers"),
        ("[content]\nscan_articles = \"yes\"\n", "content.scan_articles"),
        ("[[content.errors]]\nwrong = \"再接再励\"\n", "content.errors[1]: 缺少必填项 right"),
        ("[site]\nprofile = \"provincial\"\nhome = \"http://127.0.0.1:9/\"\n", "site.profile"),
        ("[site]\ncheck_every = \"30m\"\n", "site: 缺少必填项 home"),
        ("", None),
    ]
    for extra, key in cases:
        path = write_config(base.replace("frequency", 'class = "要闻"\nfrequency') if key is None else base + extra)
        with pytest.raises(ConfigError) as e:
            load(path, env={})
        assert (key or "columns[1]「工作动态」.class") in str(e.value), str(e.value)
    cfg = load(write_config(base + '[[content.errors]]\nwrong = "布署"\nright = "部署（本区规定）"\n'), env={})
    assert [w.right for w in cfg.content.wordings if w.wrong == "布署"] == ["部署（本区规定）"]
