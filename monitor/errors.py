"""Errors meant for the person at the keyboard: printed without a traceback."""


class UsageError(Exception):
    """A problem with what the user typed on the command line."""
