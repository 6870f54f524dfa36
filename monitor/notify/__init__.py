"""Channels (WeCom group robot, email) and the outbox that delivers through them."""


class DeliveryError(Exception):
    """A send failed. ``permanent`` means retrying cannot help (bad webhook, refused address)."""

    def __init__(self, message: str, permanent: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
