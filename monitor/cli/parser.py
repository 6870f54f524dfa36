"""The argument parser: every command, option and help text."""

from __future__ import annotations

import argparse

from .. import __version__


def build_parser() -> argparse.ArgumentParser:
    from .words import chinese

    chinese()
    p = argparse.ArgumentParser(
        prog="monitor",
        description="政务公开监测：检查区政府网站栏目和政务新媒体是否按要求频次更新，到期前提醒，逾期告警，按季度出具通报附表。",
        epilog="示例：monitor validate；monitor check；monitor status --as-of 2021-12-20；monitor report --period 2021Q4 --format xlsx -o 2021Q4.xlsx",
    )
    p.add_argument("--config", metavar="PATH", help="配置文件（默认 ./config.toml 或环境变量 MONITOR_CONFIG）")
    p.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    p.add_argument("--version", action="version", version=f"monitor {__version__}", help="显示版本并退出")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", title="命令")

    def command(name, help_text):
        return sub.add_parser(name, help=help_text, description=help_text)

    def as_of(parser):
        parser.add_argument("--as-of", metavar="ISO", help="假定当前时间（如 2021-12-20 或 2021-12-20T09:00），用于补查和测试")

    def web_address(parser):
        parser.add_argument("--host", default="127.0.0.1", help="网页监听的地址（默认 127.0.0.1，仅本机；其他地址须设置访问密码）")
        parser.add_argument("--port", type=int, default=8080, help="网页端口（默认 8080）")

    c = command("run", "常驻运行：按计划抓取、评估、告警，每天生成日报")
    c.add_argument("--serve", action="store_true", help="同时提供只读网页（见 monitor serve）")
    web_address(c)
    c = command("serve", "提供只读网页：总览、来源、单位整改清单、报表下载、通知记录，以及 /api/ 下的 JSON")
    web_address(c)
    as_of(c)
    c = command("check", "立即检查一遍：抓取、记录、评估、通知")
    as_of(c)
    c.add_argument("--only", nargs="+", metavar="ID", help="只检查这些编号的栏目或账号")
    c.add_argument("--no-notify", action="store_true", help="只抓取和评估，不发送通知")
    c.add_argument("--exit-zero", action="store_true", help="有逾期或抓取失败时也以 0 退出（供只关心程序是否运行成功的定时任务使用）")
    c = command("status", "显示每个栏目和账号的状态、最近更新和截止日期")
    as_of(c)
    c.add_argument("--json", action="store_true", help="输出 JSON")
    c = command("report", "生成统计期的通报附表（栏目更新统计表、政务新媒体更新情况统计表）")
    c.add_argument("--period", required=True, metavar="统计期", help="统计期：2021Q4、2021-10、2021 或 2021-10-01..2021-12-31")
    c.add_argument("--format", default="md", choices=["json", "md", "html", "xlsx", "notice"],
                   help="格式：json、md、html、xlsx，或 notice（通报草稿）；默认 md")
    c.add_argument("-o", "--output", metavar="FILE", help="输出文件（默认打印到屏幕；xlsx 默认写入 state/reports）")
    as_of(c)
    c = command("posts", "列出一个栏目或账号在统计期内记录到的每条信息和有效监测的日期，即报表结论的依据")
    c.add_argument("source", metavar="ID", help="栏目或账号编号")
    c.add_argument("--period", help="统计期（默认本季度）：2021Q4、2021-10、2021 或 2021-10-01..2021-12-31")
    c.add_argument("--json", action="store_true", help="输出 JSON")
    as_of(c)
    c = command("digest", "生成（并按配置发送）每日简报")
    c.add_argument("--date", help="简报日期 YYYY-MM-DD（默认今天）")
    c.add_argument("--no-send", action="store_true", help="只写文件，不发送")
    command("validate", "检查配置文件并显示理解到的内容")
    c = command("probe", "试抓一个页面，显示提取到的条目、日期、链接和下一页，用于调试选择器")
    c.add_argument("target", metavar="URL|ID", help="栏目编号，或一个列表页网址（使用 [column_defaults] 选择器）")
    for key, words in (("item", "每条信息"), ("title", "标题"), ("date", "日期"), ("link", "链接"), ("next", "下一页链接")):
        c.add_argument(f"--{key}", metavar="CSS", help=f"试用这个{words}选择器（不改配置文件）")
    c.add_argument("--date-attr", metavar="ATTR", help="日期所在的属性，如 title、data-time")
    c.add_argument("--date-pattern", metavar="REGEX", help="日期的正则表达式，含命名分组 m、d（可选 y）")
    command("test-notify", "在每个通知渠道发送一条测试消息")
    c = command("import-submissions", "导入网站后台导出的政务信息报送记录（CSV：单位、标题、日期），作为附件1的“实报”")
    c.add_argument("file", metavar="FILE.csv", help="后台导出的 CSV 文件（UTF-8 或 GBK）")
    c.add_argument("--period", required=True, metavar="统计期", help="统计期：2021Q4、2021-10、2021 或 2021-10-01..2021-12-31")
    c = command("discover", "从网站首页或单位信息公开页出发，找出带日期列表的栏目，输出可直接粘贴的 [[columns]] 配置")
    c.add_argument("url", metavar="URL", help="起点，如网站首页或某单位的信息公开页")
    c.add_argument("--depth", type=int, default=3, help="最多沿链接走几层（默认 3）")
    c.add_argument("--max-pages", type=int, default=200, help="最多读取多少个页面（默认 200）")
    c.add_argument("--write", metavar="FILE", help="写入文件（默认打印到屏幕）")
    c = command("demo", "在本机启动演示网站，完整运行一遍检查、告警、日报和报表")
    c.add_argument("--dir", metavar="DIR", help="演示输出目录（默认新建临时目录）")
    return p
