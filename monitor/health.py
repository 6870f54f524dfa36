"""Container health check: healthy when the store opens and the daemon's heartbeat is recent."""

from __future__ import annotations

import datetime as dt
import sys

STALE_AFTER = dt.timedelta(minutes=10)


def heartbeat(store) -> tuple[dt.datetime | None, dt.timedelta | None]:
    """When the daemon last wrote its heartbeat (UTC), and how long ago; (None, None) if never."""
    beat = store.get_meta("heartbeat")
    if beat is None:
        return None, None
    at = dt.datetime.fromisoformat(beat)
    return at, dt.datetime.now(dt.timezone.utc) - at


def main() -> int:
    from .config import ConfigError, load
    from .store import Store

    try:
        cfg = load()
        store = Store(cfg.settings.database)
        beat, age = heartbeat(store)
    except (ConfigError, OSError, RuntimeError) as e:
        print(f"unhealthy: {e}", file=sys.stderr)
        return 1
    if beat is None:
        print("unhealthy: 守护进程尚未写入心跳", file=sys.stderr)
        return 1
    if age > STALE_AFTER:
        print(f"unhealthy: 心跳已停止 {age}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
