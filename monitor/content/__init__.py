"""读网盯网: content checks on new posts — personal data, error words, dead links (issue 13).

``inspect`` (pure) finds problems in a post's text; ``scan`` reads the pages; ``findings`` keeps
them with a lifecycle and turns them into alert lines.
"""
