"""The seed notice's Q4 2021 附件2 and 附件4 as a config plus stored posts.

Month counts and original counts are the notice's; post dates within a month are placed the way
a diligent unit would (as late as the rule allows), so a column misses its rule exactly when the
notice says so.
"""

import datetime as dt

from monitor.config import load
from monitor.model import Fetch, Post
from monitor.store import Store

from .conftest import record_read

# 栏目名称, 更新频次, 保障单位, 10月, 11月, 12月 — 附件2 as printed (批准和实施信息 appears twice there).
COLUMNS = """\
规范性文件|1条/月|司法局|0|0|0
决策预公开|1条/月|发改局|1|1|1
批准和实施信息|1条/月|发改局|4|4|4
招标投标信息|1条/月|发改局|13|17|7
规划信息|1条/月|发改局|1|0|0
教育信息|1条/2周|教体局|4|3|4
公共文化体育|1条/2周|教体局|0|1|2
公共文化体育|1条/2周|文旅局|3|0|0
卫生医疗|1条/2周|卫健局|6|7|5
疫情防控|1条/2周|卫健局|8|2|5
医疗药品及医用耗材采购|1条/月|卫健局|1|1|1
社保就业|1条/2周|人社局|3|6|6
农业保障|1条/2周|农业农村局|2|4|5
征地拆迁|1条/月|自然资源和规划分局|0|2|0
国有土地使用权和矿业权出让|1条/季度|自然资源和规划分局|0|1|0
政务审计|1条/2周|审计局|2|4|8
食品药品安全|1条/2周|市场监管局|5|6|3
产品质量|1条/2周|市场监管局|2|2|2
执法信息(反不正当竞争)|1条/2周|市场监管局|4|3|5
财政资金直达基层|1条/月|财政局|1|1|0
政府债务|1条/季度|财政局|0|1|0
政府采购信息|1条/月|财政局|1|2|1
行政事业性收费|1条/月|财政局|1|1|0
惠民惠农政策与资金|1条/月|财政局|1|1|1
防范化解重大风险|1条/月|财政局|0|1|0
统计信息|1条/月|统计局|1|2|1
医疗保障信息|1条/月|医保局|3|1|1
批准和实施信息|1条/月|发改局|4|4|4
住房保障|1条/月|住建局|2|1|1
房屋改造|1条/月|住建局|1|1|1
房屋改造|1条/月|统建局|1|1|1
国有产权交易|1条/月|商务局|1|1|0
社会救助和社会福利|1条/月|民政局|2|2|1
养老服务|1条/2周|民政局|4|2|2
应急管理|1条/2周|应急管理局|4|9|12
灾害事故救援及预警信息|1条/2周|应急管理局|3|3|3
防范化解重大风险|1条/月|工信局|0|1|0
科技信息|1条/2周|工信局|2|3|3
乡村振兴|1条/月|乡村振兴局|3|4|4
生态环境|1条/月|生态环境分局|6|10|7
服务资讯|1条/2周|行政审批局|2|6|4"""

# 责任单位, 账号名称, 账号类型, platform, 实际更新数 (None: mini program, not monitored) — 附件4.
ACCOUNTS = """\
智慧城市指挥中心|城市之眼|miniprogram|-
智慧城市指挥中心|渭滨区智慧城市治理监督指挥中心|wechat|12
公安分局|渭滨小警|wechat|7
公安分局|宝鸡渭滨公安|weibo|95
公安分局|平安渭滨|toutiao|78
交警大队|宝鸡交警渭滨大队|wechat|17
交警大队|宝鸡交警渭滨大队|weibo|173
石鼓镇|印象石鼓|wechat|46
教体局|渭滨区教育体育局|wechat|67
人社局|渭滨区人才交流服务中心|wechat|21
乡村振兴局|渭滨乡村振兴|wechat|31
姜谭工业园|陕西姜谭经济技术开发区|wechat|6
气象局|渭滨区预警|weibo|89
市场监管局|渭滨区市场监督管理局|wechat|52
行政审批局|渭您服务|wechat|72
生态环境分局|渭滨生态环境|wechat|64
司法局|渭滨司法|wechat|12
高家镇|精彩高家|wechat|22
招商局|投资渭滨|wechat|30
清姜办|清姜故事|wechat|24"""

NOTICE_COLUMN_UNITS = {"财政局", "司法局", "发改局", "教体局", "文旅局", "自然资源和规划分局", "商务局", "工信局"}
BROKEN = {"渭滨小警", "陕西姜谭经济技术开发区"}
Q4 = (dt.date(2021, 10, 1), dt.date(2021, 12, 31))
MONTHS = [(dt.date(2021, 10, 1), dt.date(2021, 10, 31)), (dt.date(2021, 11, 1), dt.date(2021, 11, 30)),
          (dt.date(2021, 12, 1), dt.date(2021, 12, 31))]


def columns():
    return [dict(zip(["name", "frequency", "unit"], row.split("|")[:3]), counts=[int(n) for n in row.split("|")[3:]])
            for row in COLUMNS.splitlines()]


def accounts():
    out = []
    for row in ACCOUNTS.splitlines():
        unit, name, platform, n = row.split("|")
        out.append({"unit": unit, "name": name, "platform": platform, "originals": None if n == "-" else int(n)})
    return out


def column_dates(frequency: str, counts: list[int]) -> list[dt.date]:
    """Month by month, each post as late as a 1条/2周 rule allows (else spread in the month)."""
    dates, last = [], Q4[0] - dt.timedelta(days=1)
    for (start, end), n in zip(MONTHS, counts):
        for i in range(n):
            if frequency == "1条/2周":
                day = max(start + dt.timedelta(days=i), min(last + dt.timedelta(days=14), end - dt.timedelta(days=n - 1 - i)))
            else:
                day = start + dt.timedelta(days=(i * (end - start).days) // max(n, 1))
            dates.append(day)
            last = day
    return dates


def account_dates(cal, n: int, broken: bool) -> list[dt.date]:
    workdays = cal.workdays(*Q4)
    if broken:
        return [workdays[int((k + 0.5) * len(workdays) / n)] for k in range(n)]
    base = workdays[4::5]                      # every 5th working day: never 5 without an original
    extra = [d for d in workdays if d not in base]
    return sorted(base + [extra[(k * 7) % len(extra)] for k in range(n - len(base))])


def config_text() -> str:
    units = list(dict.fromkeys([c["unit"] for c in columns()] + [a["unit"] for a in accounts()]))
    out = ['[monitor]\ndatabase = "state/seed.db"\nbackfill_since = "2021-10-01"\n']
    out += [f'[[units]]\nname = "{u}"\n' for u in units]
    for i, c in enumerate(columns()):
        out.append(f'[[columns]]\nid = "c{i:02d}"\nname = "{c["name"]}"\nunit = "{c["unit"]}"\n'
                   f'frequency = "{c["frequency"]}"\nurl = "http://127.0.0.1:9/c{i:02d}/index.html"\n')
    for i, a in enumerate(accounts()):
        feed = "" if a["originals"] is None else f'feed = "http://127.0.0.1:9/feeds/a{i:02d}.xml"\n'
        out.append(f'[[accounts]]\nid = "a{i:02d}"\nname = "{a["name"]}"\nunit = "{a["unit"]}"\nplatform = "{a["platform"]}"\n{feed}')
    return "\n".join(out)


def seed(tmp_path):
    """Write the config, fill the store as a quarter of checks would have; return (config, store)."""
    path = tmp_path / "config.toml"
    path.write_text(config_text(), encoding="utf-8")
    cfg = load(path, env={})
    store = Store(cfg.settings.database)
    first_check = dt.datetime(2021, 10, 1, 8, 0, tzinfo=cfg.settings.timezone)
    store.sync_sources(cfg.sources, Q4[0])
    for col, spec in zip(cfg.columns, columns()):
        posts = [Post(f"{col.id}-{k}", f"{col.name}信息{k}", None, day)
                 for k, day in enumerate(column_dates(spec["frequency"], spec["counts"]))]
        late = [p for p in posts if col.name == "生态环境" and p.day.month == 12][-1:]
        store.record_fetch(col.id, Fetch(ok=True, posts=[p for p in posts if p not in late]), first_check)
        if late:  # found on the site three days after its shown date: 补发
            seen = dt.datetime.combine(late[0].day + dt.timedelta(days=3), dt.time(9), tzinfo=first_check.tzinfo)
            store.record_fetch(col.id, Fetch(ok=True, posts=late), seen, dt.timedelta(days=2))
    for acc, spec in zip(cfg.accounts, accounts()):
        if spec["originals"] is None:
            continue
        days = account_dates(cfg.calendar, spec["originals"], acc.name in BROKEN)
        posts = [Post(f"{acc.id}-{k}", f"{acc.name}动态{k}", None, day) for k, day in enumerate(days)]
        if acc.name == "渭滨小警":  # reposts are recorded but do not count
            posts += [Post(f"{acc.id}-r{k}", f"转发：通知{k}", None, day, original=False)
                      for k, day in enumerate(cfg.calendar.workdays(*Q4)[::6])]
        store.record_fetch(acc.id, Fetch(ok=True, posts=posts), first_check)
    # Checks ran all quarter long: the last one, on New Year's Day, had every day of Q4 covered.
    closing = dt.datetime(2022, 1, 1, 8, 0, tzinfo=first_check.tzinfo)
    for source in cfg.sources:
        if source.url:
            record_read(store, source.id, [], closing, Q4[0])
    return cfg, store
