"""Alerts: which state changes are worth telling (lifecycle), and in what words (messages)."""
