import datetime as dt
import os
import subprocess
import sys

from monitor.store import Store


def test_health_needs_a_fresh_heartbeat(write_config, tmp_path):
    path = write_config('[monitor]\ndatabase = "state/m.db"\n')

    def health() -> int:
        env = {**os.environ, "MONITOR_CONFIG": str(path)}
        return subprocess.run([sys.executable, "-m", "monitor.health"], capture_output=True, env=env).returncode

    assert health() == 1                      # no daemon has run yet
    store = Store(tmp_path / "state/m.db")
    now = dt.datetime.now(dt.timezone.utc)
    store.set_meta("heartbeat", now.isoformat(timespec="seconds"))
    assert health() == 0
    store.set_meta("heartbeat", (now - dt.timedelta(hours=1)).isoformat(timespec="seconds"))
    assert health() == 1
