"""Secrets (webhook keys, passwords) stay out of the store, the logs and the screen.

The outbox records a webhook by ``ref``, a one-way fingerprint, and finds the URL in the config when
it sends. Log records pass through ``RedactSecrets``, which masks ``key=…``-style parameters and
every secret the config holds, whichever library logged them.
"""

from __future__ import annotations

import hashlib
import logging
import re

_URL_SECRET = re.compile(r"((?:key|access_token|token|secret|password|sign)=)[^&\s'\"]+", re.IGNORECASE)
_known: set[str] = set()


def ref(secret: str) -> str:
    """A stable, one-way name for a secret (a webhook URL): safe to store."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def mask_url_secrets(text: str) -> str:
    """``…/send?key=693a…`` → ``…/send?key=****``; also access_token= and the like."""
    return _URL_SECRET.sub(r"\1****", text)


def remember(secret: str | None) -> None:
    """A value to mask wherever it appears in a log line."""
    if secret and len(secret) >= 4:
        _known.add(secret)


def redact(text: str) -> str:
    text = mask_url_secrets(text)
    for secret in _known:
        text = text.replace(secret, "****")
    return text


class RedactSecrets(logging.Filter):
    """Put on a handler: every record it writes, from any logger, is masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
