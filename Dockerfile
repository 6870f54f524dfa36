# 政务公开监测 — daemon image. Build: docker build -t zwgk-monitor .
# Run: docker run -d -v $PWD/config.toml:/app/config.toml:ro -v monitor-state:/app/state zwgk-monitor
# The config is mounted, never baked in; the state volume must be writable by uid 10001.
FROM python:3.11-slim

ENV TZ=Asia/Shanghai \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MONITOR_CONFIG=/app/config.toml

WORKDIR /app
COPY pyproject.toml README.md ./
COPY monitor ./monitor
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 monitor \
    && mkdir -p /app/state \
    && chown monitor:monitor /app/state

USER 10001:10001
VOLUME ["/app/state"]
# monitor run --serve / monitor serve: the read-only pages
EXPOSE 8080

# Healthy when the store opens and the daemon's heartbeat is fresh.
HEALTHCHECK --interval=5m --timeout=30s --start-period=2m \
    CMD ["python", "-m", "monitor.health"]

CMD ["monitor", "run"]
