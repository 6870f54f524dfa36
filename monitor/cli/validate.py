"""``monitor validate``: the config as the monitor understood it, and what in it will not work as meant."""

from __future__ import annotations

from .common import load_config, open_store


def cmd_validate(args) -> int:
    cfg = load_config(args)
    print(f"配置文件：{cfg.path.resolve()}")
    s = cfg.settings
    from ..config import PLATFORMS
    from ..textutil import human_duration, table

    print(f"时区 {s.timezone.key}；数据库 {s.database}；检查间隔 {human_duration(s.check_every)}；"
          f"提前提醒 {human_duration(s.warn_before)}；重复提醒间隔 {human_duration(s.repeat_every)}；"
          f"日报 {s.digest_at.strftime('%H:%M')}")
    print(f"工作日：{'国务院放假安排' if cfg.calendar.mode == 'china' else '周一至周五'}"
          f"，额外假日 {len(cfg.calendar.holidays)} 天，额外调休上班 {len(cfg.calendar.makeup_workdays)} 天")
    unmonitored = sum(1 for a in cfg.accounts if a.feed is None)
    print(f"单位 {len(cfg.units)} 个，栏目 {len(cfg.columns)} 个，政务新媒体账号 {len(cfg.accounts)} 个"
          f"（其中未监测 {unmonitored} 个），通知渠道 {len(cfg.channels)} 个")

    c = cfg.content
    print(f"读网盯网：{'读取新信息正文，查找个人信息、错词' + ('和断链' if c.check_links else '') if c.scan_articles else '关闭'}"
          f"；错词表 {len(c.wordings)} 条；号码白名单 {len(c.allow_numbers)} 个")
    if cfg.site.home:
        print(f"网站体检：首页 {cfg.site.home}，每 {human_duration(cfg.site.check_every)} 打开一次，"
              f"超过 {cfg.site.slow_after:g} 秒算打不开（国办秘函〔2019〕19号）")
    if cfg.columns:
        print("\n栏目：")
        print(table(
            ["编号", "栏目", "单位", "频次", "含义", "选择器"],
            [[c.id, c.name, c.unit, str(c.rule), c.rule.describe(), _selector_summary(c.selectors)] for c in cfg.columns],
        ))
    if cfg.accounts:
        print("\n政务新媒体：")
        print(table(
            ["编号", "账号", "单位", "平台", "规则", "含义", "订阅源"],
            [[a.id, a.name, a.unit, PLATFORMS[a.platform], str(a.rule), a.rule.describe(), a.feed or "（未监测）"] for a in cfg.accounts],
        ))
    if cfg.channels:
        print("\n通知渠道：")
        kinds = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书", "email": "邮件"}
        for ch in cfg.channels:
            target = f"{ch.smtp_host}:{ch.smtp_port} → {', '.join(ch.to)}" if ch.type == "email" else ch.webhook
            print(f"  {kinds[ch.type]}  {ch.name}  {_hide_key(target)}")
    if any(u.email for u in cfg.units.values()) and not any(c.type == "email" for c in cfg.channels):
        print("\n提示：有单位填写了 email，但没有 type = \"email\" 的 [[notify]] 渠道作为发信服务器，单位邮件不会发出。")
    _unmatched_prefixes(cfg)
    for ch in cfg.channels:
        if ch.type == "email" and ch.password and not (ch.ssl or ch.starttls):
            print(f"\n警告：邮件渠道「{ch.name}」没有启用 ssl 或 starttls，登录密码会以明文在网络上传输。"
                  "请设置 ssl = true（端口 465）或 starttls = true（端口 587）。")
    print("\n配置有效。")
    return 0


def _unmatched_prefixes(cfg) -> None:
    """报送 titles whose prefix names no unit: the aliases [[units]] still lacks."""
    if not cfg.submissions.columns or not cfg.settings.database.is_file():
        return
    from collections import Counter

    from ..submissions.attribute import PREFIX, alias_table, attribute

    aliases = alias_table(cfg.units.values())
    marks = ",".join("?" * len(cfg.submissions.columns))
    titles = [r["title"] for r in open_store(cfg).query(
        f"SELECT title FROM posts WHERE source_id IN ({marks})", cfg.submissions.columns)]
    missing = Counter(m.group(1).strip() for t in titles if attribute(t, aliases) is None and (m := PREFIX.match(t)))
    if missing:
        print("\n报送信息中无法归属到单位的标题前缀（可加到相应单位的 aliases）：" +
              "、".join(f"{prefix}（{n} 条）" for prefix, n in missing.most_common(20)))


def _selector_summary(sel) -> str:
    parts = [f"item={sel.item or '(自动识别)'}", f"title={sel.title}", f"date={sel.date or '(整条文字)'}", f"link={sel.link}"]
    if sel.next:
        parts.append(f"next={sel.next}")
    if sel.pages:
        parts.append(f"pages={sel.pages}")
    parts.append(f"max_pages={sel.max_pages}")
    return " ".join(parts)


def _hide_key(url: str) -> str:
    from ..secrets import mask_url_secrets

    return mask_url_secrets(url)
