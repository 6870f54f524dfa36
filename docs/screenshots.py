"""Screenshots of the pages for the README: the demo's store served as of its moment, shot by
Debian's chromium at a phone's width (390 px) and a desk's (1280 px).

    .venv/bin/monitor demo --dir /tmp/demo && .venv/bin/python docs/screenshots.py /tmp/demo/config.toml
"""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent / "screenshots"
PAGES = [("overview", "/"), ("source", "/source/wbxj?period=2021Q4")]


def main(config: str, port: int = 8765) -> None:
    server = subprocess.Popen([sys.executable, "-m", "monitor", "--config", config, "serve", "--port", str(port),
                               "--as-of", "2022-01-04T09:00"])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium")
            for width, height in ((390, 844), (1280, 800)):
                page = browser.new_page(viewport={"width": width, "height": height})
                for name, path in PAGES:
                    page.goto(f"http://127.0.0.1:{port}{path}")
                    page.screenshot(path=OUT / f"{name}-{width}.png", full_page=width == 1280)
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main(sys.argv[1])
