"""Collection: fetch list pages and feeds, extract posts. Network and parsing only; no store access."""
