"""`monitor discover`: every column of the bundled demo site, found with no selectors written."""

import re
import tomllib

from monitor.demo.server import DemoSite

from .conftest import run_cli


FAST = '[monitor]\ndatabase = "m.db"\n\n[http]\ndelay_per_host = 0\n'


def test_discover_finds_every_column_of_the_demo_site(tmp_path, write_config):
    from importlib import resources

    template = (resources.files("monitor.demo") / "config.toml").read_text(encoding="utf-8")
    with DemoSite() as site:
        # Every column of the 信息公开 tree (基层动态 is linked from nowhere on the demo site).
        configured = {c["url"].replace("{site}", site.url): c for c in tomllib.loads(template)["columns"] if c["id"] != "jcdt"}
        out = tmp_path / "found.toml"
        r = run_cli("--config", str(write_config(FAST)), "discover", f"{site.url}/index.html", "--write", str(out))
        assert r.returncode == 0, r.stderr
    found = tomllib.loads(out.read_text(encoding="utf-8"))
    columns = {c["url"]: c for c in found["columns"]}
    assert set(columns) == set(configured)                      # every column, nothing else
    for url, column in columns.items():
        assert column["name"] == configured[url]["name"]
        assert column["unit"] == configured[url]["unit"]        # from the 信息公开 tree: 区财政局 → 财政局
        assert "item" not in column                            # auto-detection needs no selectors here
    assert columns[f"{site.url}/sfj/gfxwj/index.htm"]["frequency"] == "1条/183天"   # preset: 规范性文件
    assert {u["name"] for u in found["units"]} == {"财政局", "司法局", "教体局", "发改局", "民政局"}


def test_discovered_columns_are_a_valid_config_and_read_as_configured(tmp_path):
    (tmp_path / "fast.toml").write_text(FAST, encoding="utf-8")
    with DemoSite() as site:
        r = run_cli("--config", str(tmp_path / "fast.toml"), "discover", f"{site.url}/xxgk/index.html", "--depth", "2")
        assert r.returncode == 0, r.stderr
        config = tmp_path / "config.toml"
        config.write_text('[monitor]\ndatabase = "m.db"\nbackfill_since = "2021-07-01"\n\n[http]\ndelay_per_host = 0\n\n'
                          + r.stdout, encoding="utf-8")
        v = run_cli("--config", str(config), "validate")
        assert v.returncode == 0, v.stderr
        c = run_cli("--config", str(config), "check", "--no-notify", "--exit-zero", "--as-of", "2022-01-04T09:00")
        assert c.returncode == 0, c.stderr
        summary = c.stdout.split("合计：")[1]
        assert "抓取失败" not in summary and sum(int(n) for n in re.findall(r"\d+", summary)) == 5


def test_presets_in_the_config_override_the_shipped_ones(tmp_path, write_config):
    path = write_config(FAST + '\n[[presets]]\npattern = "直达"\nfrequency = "1条/周"\n')
    with DemoSite() as site:
        r = run_cli("--config", str(path), "discover", f"{site.url}/czj/index.html")
    assert r.returncode == 0, r.stderr
    assert 'frequency = "1条/周"' in r.stdout and "财政资金直达基层" in r.stdout


def test_discover_needs_no_config_to_start_with(tmp_path):
    """Discovering columns is how a config is begun: no config.toml is needed."""
    with DemoSite() as site:
        r = run_cli("discover", f"{site.url}/czj/index.html", "--depth", "1", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert 'name = "财政资金直达基层"' in r.stdout and 'unit = "财政局"' in r.stdout   # from 区财政局信息公开
