"""The office's web pages (issue 14), driven in a real headless browser: Playwright with Debian's
chromium, against `monitor serve` run on the demo's store on 127.0.0.1."""

import json
import shutil
import socket
import subprocess
import sys
import time

import pytest
import requests
from openpyxl import load_workbook

from .conftest import run_cli
from .peers import free_port

AS_OF = "2022-01-04T09:00"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"monitor serve exited: {process.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("monitor serve did not start listening")


def serve(config, *args, env=None):
    import os

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "serve", "--port", str(port), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    wait_for_port(port, process)
    return process, port


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's store: a check of the fake district site as of 2022-01-04."""
    out = tmp_path_factory.mktemp("web") / "demo"
    r = run_cli("demo", "--dir", str(out), timeout=120)
    assert r.returncode == 0, r.stderr
    return out / "config.toml"


@pytest.fixture(scope="module")
def site(demo):
    process, port = serve(demo, "--as-of", AS_OF)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_overview_shows_counts_and_the_overdue_column_at_both_widths(site, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site + "/")
    assert page.locator(".count.s-overdue b").inner_text() == "2"
    assert page.locator(".count.s-due_soon b").inner_text() == "1"
    row = page.locator("tr", has=page.get_by_role("link", name="财政资金直达基层"))
    assert row.is_visible()
    assert "逾期" in row.inner_text() and "2021-12-31" in row.inner_text()     # state and deadline, as a person reads them
    # Units with trouble come first; the page never scrolls sideways.
    assert page.locator("section.unit h2 a").first.inner_text() == "财政局"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_the_filter_shows_only_the_chosen_state(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site + "/")
    page.select_option("select[name=state]", "overdue")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**state=overdue**")
    states = page.locator("table.sources .state").all_inner_texts()
    assert states == ["逾期", "逾期"]
    assert page.get_by_text("社会救助和社会福利").count() == 0
    page.fill("input[name=q]", "公安")
    page.get_by_role("button", name="筛选").click()
    assert page.locator("table.sources a").all_inner_texts() == ["渭滨小警"]
    page.close()


def test_a_source_page_shows_its_posts_calendar_and_fetches(site, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + "/")
    page.get_by_role("link", name="财政资金直达基层").click()
    page.wait_for_url("**/source/czzj")
    page.get_by_role("link", name="2021Q4").click()
    assert page.get_by_role("heading", name="2021年四季度计入的信息（3 条）").is_visible()
    assert page.get_by_role("link", name="渭滨区2021年直达资金分配情况公示").is_visible()
    assert "2021年12月未更新（要求1条/月）" in page.locator("ul.evidence").inner_text()
    assert page.locator("table.heat td.h-posts").count() >= 3
    assert page.locator("table.heat td.h-uncovered").count() > 0     # days before the backfill: 无数据, not 0
    assert page.locator("table.fetches").get_by_text("成功").count() >= 1
    page.close()


def test_the_quarters_xlsx_downloads_and_opens(site, browser, tmp_path):
    page = browser.new_page(accept_downloads=True)
    page.goto(site + "/report?period=2021Q4")
    assert page.get_by_text("未达标单位：财政局、公安分局").is_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX 表格").click()
    path = tmp_path / "q4.xlsx"
    info.value.save_as(path)
    assert info.value.suggested_filename == "2021Q4.xlsx"
    wb = load_workbook(path)
    assert "附件2 区政府网站栏目更新统计表" in wb.sheetnames and "明细" in wb.sheetnames
    rows = list(wb["附件2 区政府网站栏目更新统计表"].iter_rows(min_row=4, values_only=True))
    assert ("财政资金直达基层", "1条/月", "财政局", 2, 1, 0, "不达标", "2021年12月未更新（要求1条/月）") in rows
    page.close()


def test_the_api_gives_the_same_data_as_the_command_line(site, demo):
    api = requests.get(site + "/api/status", timeout=10).json()
    cli = json.loads(run_cli("--config", str(demo), "status", "--json", "--as-of", AS_OF).stdout)
    assert api == cli
    report = requests.get(site + "/api/report?period=2021Q4", timeout=10).json()
    assert report["noncompliant_units"] == ["财政局", "公安分局"]
    assert requests.get(site + "/api/source/czzj", timeout=10).json()["source"]["state"] == "overdue"


def test_pages_are_read_only_escaped_and_self_contained(site, demo):
    import sqlite3

    db = demo.parent / "state" / "monitor.db"
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO posts (source_id, key, title, url, published, day, first_seen) VALUES "
                     "('czzj', 'x', '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '2021-12-15', '2021-12-15', '2022-01-04T09:00:00+08:00')")
    r = requests.get(site + "/source/czzj?period=2021Q4", timeout=10)
    assert "&lt;img src=x onerror=alert(1)&gt;" in r.text and "<img src=x" not in r.text
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp      # no script runs, not even the page's own
    assert "http" not in r.text.split("<main>")[0].replace("http-equiv", "")   # no font, script or CDN from outside
    assert requests.post(site + "/", timeout=10).status_code == 405
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM posts WHERE key = 'x' AND source_id = 'czzj'")


def test_beyond_loopback_a_password_is_required(demo):
    port = free_port()
    r = run_cli("--config", str(demo), "serve", "--host", "0.0.0.0", "--port", str(port), env={"MONITOR_WEB_PASSWORD": ""})
    assert r.returncode == 2 and "必须先设置访问密码" in r.stderr
    process, port = serve(demo, "--host", "0.0.0.0", "--as-of", AS_OF, env={"MONITOR_WEB_PASSWORD": "s3cret-pass"})
    try:
        url = f"http://127.0.0.1:{port}/"
        bare = requests.get(url, timeout=10)
        assert bare.status_code == 401 and bare.headers["WWW-Authenticate"].startswith("Basic")
        assert requests.get(url, auth=("monitor", "s3cret-pass"), timeout=10).status_code == 200
        codes = [requests.get(url, auth=("monitor", "guess"), timeout=10).status_code for _ in range(6)]
        assert codes == [401] * 5 + [429]          # failures are rate-limited
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_run_serves_the_pages_beside_the_daemon_follows_a_reload_and_stops_on_sigterm(demo, tmp_path):
    import os
    import signal

    config = tmp_path / "config.toml"
    config.write_text(demo.read_text(encoding="utf-8"), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run", "--serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ})

    def units() -> set[str]:
        r = requests.get(f"http://127.0.0.1:{port}/api/overview", timeout=10)
        assert r.status_code == 200
        return {u["name"] for u in r.json()["units"]}

    try:
        wait_for_port(port, process)
        assert units() >= {"财政局", "公安分局"} and "审计局" not in units()
        # The officer adds a unit and its column and reloads: the pages show them without a restart.
        config.write_text(config.read_text(encoding="utf-8") + '\n[[units]]\nname = "审计局"\n\n[[columns]]\nid = "sjgg"\n'
                          'name = "审计公告"\nunit = "审计局"\nfrequency = "1条/季度"\nurl = "http://127.0.0.1:9/sjgg/"\n',
                          encoding="utf-8")
        process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        while "审计局" not in units() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "审计局" in units()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_a_period_it_cannot_read_is_explained(site):
    r = requests.get(site + "/report?period=2021Q5", timeout=10)
    assert r.status_code == 400 and "无法识别的统计期 &#39;2021Q5&#39;" in r.text
    assert requests.get(site + "/source/nosuch", timeout=10).status_code == 404


def test_a_broken_store_is_explained_in_words(demo, tmp_path):
    import shutil as sh

    state = tmp_path / "state"
    sh.copytree(demo.parent / "state", state)
    config = tmp_path / "config.toml"
    config.write_text(demo.read_text(encoding="utf-8"), encoding="utf-8")
    process, port = serve(config, "--as-of", AS_OF)
    try:
        for name in ("monitor.db-wal", "monitor.db-shm"):
            (state / name).unlink(missing_ok=True)
        (state / "monitor.db").write_bytes(b"this is not a database" * 500)
        r = requests.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert r.status_code == 500 and "读取数据时出错" in r.text and "不是 monitor 的数据库文件" in r.text
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_port_in_use_is_said_in_words(demo):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        r = run_cli("--config", str(demo), "serve", "--port", str(port))
    assert r.returncode == 2 and f"网页地址 127.0.0.1:{port} 已被其他程序占用" in r.stderr
