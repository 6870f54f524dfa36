"""Evidence behind every verdict: which days each source was observed (coverage) and the posts counted."""
