"""Helpers that serve fixture pages from a real HTTP server on 127.0.0.1 (pytest-httpserver)."""

from pathlib import Path

from werkzeug import Response

FIXTURES = Path(__file__).parent / "fixtures"


def serve(httpserver, path: str, fixture: str, content_type: str = "text/html; charset=utf-8", **headers):
    body = (FIXTURES / fixture).read_bytes()
    httpserver.expect_request(path).respond_with_response(
        Response(body, status=200, headers={"Content-Type": content_type, **headers}))
    return httpserver.url_for(path)


def column_config(url: str, *, since="2021-07-01", extra="", frequency="1条/月", http="", **selectors) -> str:
    sel = "\n".join(f'{k} = "{v}"' for k, v in selectors.items())
    return f"""
[monitor]
database = "state/m.db"
backfill_since = "{since}"

[http]
timeout = 2
delay_per_host = 0
retries = 2
{http}

[[units]]
name = "财政局"

[[columns]]
id = "c1"
name = "财政资金直达基层"
unit = "财政局"
frequency = "{frequency}"
url = "{url}"
{sel}
{extra}
"""


def account_config(feed_url: str, since="2021-10-01") -> str:
    return f"""
[monitor]
database = "state/m.db"
backfill_since = "{since}"

[http]
delay_per_host = 0

[[units]]
name = "司法局"

[[accounts]]
id = "wbsf"
name = "渭滨司法"
unit = "司法局"
feed = "{feed_url}"
"""
