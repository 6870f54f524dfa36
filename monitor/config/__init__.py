"""config.toml read into typed objects, with errors that name the file, table and key.

``types`` holds the objects the rest of the monitor uses, ``table`` the reader of one TOML table,
``sections`` one reader per table of the file, and ``load`` puts them together.
"""

from .load import default_path, load, parse
from .sections import selector_problem
from .table import is_url
from .types import (
    DEFAULT_REPOST_MARKERS, DEFAULT_SELECTORS, PLATFORMS, ROBOT_NAMES, SELECTOR_KEYS, Account, Board, Channel, Column,
    Config, ConfigError, ContentChecks, HttpSettings, JsonList, MustRepost, ReportWords, Selectors, Settings, SiteCheck,
    Source, Submissions, Unit, WebSettings,
)

__all__ = [
    "DEFAULT_REPOST_MARKERS", "DEFAULT_SELECTORS", "PLATFORMS", "ROBOT_NAMES", "SELECTOR_KEYS", "Account", "Board",
    "Channel", "Column", "Config", "ConfigError", "ContentChecks", "HttpSettings", "JsonList", "MustRepost",
    "ReportWords", "Selectors", "Settings", "SiteCheck", "Source", "Submissions", "Unit", "WebSettings",
    "default_path", "is_url", "load", "parse", "selector_problem",
]
