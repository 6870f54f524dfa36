"""政务公开监测: watch a district website's columns and accounts against their update rules."""

__version__ = "0.1.0"
