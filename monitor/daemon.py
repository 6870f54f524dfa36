"""``monitor run``: APScheduler 3 jobs — one per source, evaluation, outbox delivery, the digest."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
import zlib

from apscheduler.events import EVENT_JOB_ERROR
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from . import config as config_module
from . import logs
from .collect.http import Fetcher
from .config import Config
from .pipeline import collect_all, settle
from .status import default_since
from .store import Store

log = logging.getLogger(__name__)

EVALUATE_EVERY = dt.timedelta(minutes=15)   # deadlines pass between fetches too
DELIVER_EVERY = dt.timedelta(seconds=30)    # outbox retries and the heartbeat
SCAN_EVERY = dt.timedelta(hours=1)          # new posts' pages are read within the hour
STOP_WITHIN = 5.0                           # seconds jobs get to end after a stop signal


class Daemon:
    def __init__(self, config: Config):
        self.config = config
        self.store = Store(config.settings.database)
        self.fetcher = Fetcher(config.http)
        self.tz = config.settings.timezone
        self.scheduler = BlockingScheduler(
            timezone=self.tz,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        )
        self.stopping = False
        self.checked: set[str] = set()          # sources read since the last alert pass
        self.checked_lock = threading.Lock()

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.tz).replace(microsecond=0)

    # ------------------------------------------------------------ jobs

    def check_source(self, source_id: str) -> None:
        """Fetch one source and record it; its alerts wait for the next alert pass."""
        now = self.now()
        fetched = list(collect_all(self.config, self.store, [self.config.source(source_id)], now, self.fetcher))
        if self.stopping:   # the read was cut off by the stop: it says nothing about the source
            return
        settle(self.config, self.store, fetched, now, only={source_id}, notify=False)
        with self.checked_lock:
            self.checked.add(source_id)

    def check_boards(self) -> None:
        from .boards.read import check_boards

        check_boards(self.config, self.store, self.fetcher, self.now())

    def scan_content(self) -> None:
        from .content.scan import scan

        scan(self.config, self.store, self.fetcher, self.now())

    def check_home(self) -> None:
        from .sitecheck.home import check_home

        check_home(self.config, self.store, self.fetcher, self.now())

    def alert_pass(self) -> None:
        """Alerts about the sources read since the last pass, in one message per recipient: a site
        that went down shows up as one grouped line, not one message per column."""
        with self.checked_lock:
            checked, self.checked = self.checked, set()
        if checked:
            settle(self.config, self.store, [], self.now(), only=checked)
            self.deliver()

    def evaluate_all(self) -> None:
        settle(self.config, self.store, [], self.now())
        self.deliver()

    def deliver(self) -> None:
        from .notify.outbox import deliver

        deliver(self.store, self.config, self.now())
        self.store.set_meta("heartbeat", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    def digest(self) -> None:
        from .digest import write_digest

        path = write_digest(self.config, self.store, self.now())
        log.info("日报已写入 %s", path)

    # ------------------------------------------------------------ wiring

    def schedule(self) -> None:
        now = self.now()
        self.store.sync_sources(self.config.sources, default_since(self.config, now))
        watched = [s for s in self.config.sources if s.url]
        for source in watched:
            every = source.check_every.total_seconds()
            # Spread first runs over the first interval so a restart is not a burst.
            offset = (zlib.crc32(source.id.encode()) % 1000) / 1000 * min(every, 600)
            self.scheduler.add_job(
                self.check_source, IntervalTrigger(seconds=every, jitter=min(every * 0.1, 300), timezone=self.tz),
                args=[source.id], id=f"check:{source.id}", name=f"检查 {source.name}",
                next_run_time=now + dt.timedelta(seconds=offset),
            )
        if self.config.boards:      # messages are read here; the next evaluation tells about them
            self.scheduler.add_job(self.check_boards, IntervalTrigger(seconds=self.config.settings.check_every.total_seconds()),
                                   id="boards", name="读取留言板", next_run_time=now + dt.timedelta(seconds=30))
        if self.config.content.scan_articles:   # findings are told by the next evaluation
            self.scheduler.add_job(self.scan_content, IntervalTrigger(seconds=SCAN_EVERY.total_seconds()),
                                   id="content", name="读网盯网", next_run_time=now + dt.timedelta(minutes=2))
        if self.config.site.home:
            self.scheduler.add_job(self.check_home, IntervalTrigger(seconds=self.config.site.check_every.total_seconds()),
                                   id="home", name="首页可用性", next_run_time=now + dt.timedelta(seconds=20))
        self.scheduler.add_job(self.alert_pass, IntervalTrigger(seconds=self.config.settings.batch_alerts.total_seconds()),
                               id="alerts", name="汇总提醒")
        self.scheduler.add_job(self.evaluate_all, IntervalTrigger(seconds=EVALUATE_EVERY.total_seconds()),
                               id="evaluate", name="评估全部", next_run_time=now + dt.timedelta(minutes=1))
        self.scheduler.add_job(self.deliver, IntervalTrigger(seconds=DELIVER_EVERY.total_seconds()),
                               id="deliver", name="发送通知", next_run_time=now)
        at = self.config.settings.digest_at
        self.scheduler.add_job(self.digest, CronTrigger(hour=at.hour, minute=at.minute, timezone=self.tz),
                               id="digest", name="每日简报")
        self.scheduler.add_listener(self._on_error, mask=EVENT_JOB_ERROR)
        log.info("开始运行：%d 个栏目/账号，时区 %s，日报每天 %s", len(watched), self.tz.key, at.strftime("%H:%M"))

    def _on_error(self, event) -> None:
        log.error("任务 %s 出错（下次照常运行）：%s", event.job_id, event.exception)

    def stop(self) -> None:
        """Stop now: cut off reads in flight, start no new job."""
        self.stopping = True
        self.fetcher.close()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def watch(self, signals: "Signals") -> None:
        """Also stop on a signal that arrived while the scheduler was starting and could not stop it."""
        def check():
            if signals.stop or signals.reload:
                self.stop()
        self.scheduler.add_job(check, IntervalTrigger(seconds=1), id="signals", name="信号")


class Signals:
    """SIGTERM/SIGINT stop the daemon, SIGHUP reloads the config."""

    def __init__(self):
        self.stop = False
        self.reload = False
        self.daemon: Daemon | None = None
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self.handle)

    def handle(self, signum, frame) -> None:
        if signum == signal.SIGHUP:
            self.reload = True
            log.info("收到 SIGHUP，重新读取配置")
        else:
            self.stop = True
            log.info("收到停止信号，正在退出")
        if self.daemon is not None:
            self.daemon.stop()


def run(config_path: str | None, web: tuple[str, int] | None = None) -> int:
    config = config_module.load(config_path)
    server, app = _serve(config, *web) if web else (None, None)
    signals = Signals()
    while not signals.stop:
        daemon = signals.daemon = Daemon(config)
        daemon.schedule()
        daemon.watch(signals)
        daemon.scheduler.start()
        # The store is not closed here: a job still finishing in its thread may need it.
        if signals.reload and not signals.stop:
            signals.reload = False
            try:
                config = config_module.load(config_path)
            except Exception as e:  # noqa: BLE001 - whatever is wrong with the new file, keep running
                log.error("新配置有误，继续使用原配置：%s", e)
            else:
                if app is not None:
                    from .web.app import use_config

                    use_config(app, config)
    if server is not None:
        server.close()
    _wait_for_jobs(STOP_WITHIN)
    log.info("已退出")
    return 0


def _serve(config: Config, host: str, port: int):
    """The pages beside the daemon, in this process, on their own threads: they read the store the
    jobs write, and follow a SIGHUP reload of the config (not of the address or password)."""
    from .web.serve import make_server

    server, app = make_server(config, host, port)
    threading.Thread(target=server.run, name="web", daemon=True).start()
    return server, app


def _wait_for_jobs(seconds: float) -> None:
    """Give jobs still running (their reads already cut off) a moment to end; then leave without them.
    Whatever they had not committed is rolled back by SQLite, so nothing is half-written."""
    deadline = time.monotonic() + seconds
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() and not t.daemon and t is not threading.current_thread() for t in threading.enumerate()):
        log.warning("仍有任务未结束，强制退出")
        logs.exit_now(0)
