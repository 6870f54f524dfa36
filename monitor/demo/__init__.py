"""``monitor demo``: the whole product on a fake district site served from 127.0.0.1.

It starts the site, writes a config pointing at it, runs one check as of 2022-01-04 09:00
(after the quarter the seed notice covers), shows the status and the WeCom messages the robot
stub received, writes the digest and the 2021Q4 report in every format, and exits.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from importlib import resources
from pathlib import Path

AS_OF = "2022-01-04T09:00"


def run_demo(out_dir: Path | None = None) -> int:
    from ..cli.common import print_status_table
    from ..config import load
    from ..digest import write_digest
    from ..evidence.posts import posts_in
    from ..pipeline import run_check
    from ..report.build import build, parse_period
    from ..report.render import write
    from ..store import Store
    from .server import DemoSite

    out = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="monitor-demo-"))
    out.mkdir(parents=True, exist_ok=True)
    template = (resources.files("monitor.demo") / "config.toml").read_text(encoding="utf-8")
    with DemoSite() as site:
        config_path = out / "config.toml"
        config_path.write_text(template.replace("{site}", site.url), encoding="utf-8")
        cfg = load(config_path)
        now = dt.datetime.fromisoformat(AS_OF).replace(tzinfo=cfg.settings.timezone)
        print(f"演示：模拟的区政府网站运行在 {site.url}（{len(cfg.columns)} 个栏目、{len(cfg.accounts)} 个政务新媒体账号）")
        print(f"假定当前时间为 {now.strftime('%Y-%m-%d %H:%M')}，输出目录 {out}\n")

        store = Store(cfg.settings.database)
        result = run_check(cfg, store, now)
        print_status_table(result.statuses, now)

        print(f"\n企业微信群机器人收到 {len(site.robot_messages)} 条消息（办公室和责任单位各自的群）：")
        for message in site.robot_messages:
            print("\n" + _plain(message["markdown"]["content"]))

        _inspections(cfg, store, now)
        digest = write_digest(cfg, store, now, send=False)
        start, end = parse_period("2021Q4")
        data = build(cfg, store, start, end, now)
        details = posts_in(store, cfg, start, end)
        reports = out / "reports"
        written = [digest]
        for fmt, name in [("json", "2021Q4.json"), ("md", "2021Q4.md"), ("html", "2021Q4.html"),
                          ("xlsx", "2021Q4.xlsx"), ("notice", "2021Q4-通报草稿.md"), ("docx", "2021Q4-通报草稿.docx")]:
            written.append(write(data, fmt, reports / name, details))
        store.close()
        crawl = _discover(site, cfg, now)
        discovered = reports / "discovered-columns.toml"
        from ..discover import as_toml

        discovered.write_text(as_toml(crawl, site.url + "/index.html"), encoding="utf-8")
        written.append(discovered)

    print(f"\n自动发现栏目：从首页出发读取 {crawl.pages} 个页面，找到 {len(crawl.columns)} 个带日期列表的栏目（不需要写选择器）：")
    for found in crawl.columns:
        print(f"  {found.unit or '待定'}「{found.name}」 {found.items} 条，最近 {found.newest}")
    print(f"\n2021年四季度未达标单位：{'、'.join(data['noncompliant_units']) or '无'}")
    print("\n已生成：")
    for path in written:
        print(f"  {path}")
    command = Path(sys.executable).parent / "monitor"   # the full path: works without activating the venv
    print(f"\n用自己的配置试试：{command if command.exists() else 'monitor'} --config {config_path} status --as-of {AS_OF}"
          "（演示网站已关闭，再抓取会显示“抓取失败”）")
    print(f"在浏览器里看：{command if command.exists() else 'monitor'} --config {config_path} serve --as-of {AS_OF}，"
          "然后打开 http://127.0.0.1:8080/")
    return 0


def _inspections(cfg, store, now) -> None:
    """读网盯网 findings and the national lines, as the office would read them."""
    from ..content.findings import describe, open_findings
    from ..sitecheck.measure import site_check

    found = open_findings(store)
    print(f"\n读网盯网：新信息中发现 {len(found)} 处内容问题（号码只显示遮盖后的片段）：")
    for f in found:
        print(f"  {cfg.source(f['source_id']).unit}：{_plain(describe(f))}")
    print("\n网站与新媒体体检（国办秘函〔2019〕19号）：")
    for item in site_check(cfg, store, now):
        print(f"  {item.name}：{item.verdict}，{item.value}")


def _discover(site, cfg, now):
    """``monitor discover`` on the demo site: every column found with no selectors written."""
    from ..collect.http import Fetcher
    from ..discover import discover

    return discover(site.url + "/index.html", Fetcher(cfg.http), now)


def _plain(markdown: str) -> str:
    import re

    return re.sub(r"</?font[^>]*>|\*\*", "", markdown)
