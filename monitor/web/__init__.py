"""``monitor serve``: one read-only web page set for the office (issue 14) over the same store.

``views.py`` gathers each page's data as plain dicts (the HTML pages and ``/api/`` share them),
``app.py`` is the Flask app (routes, headers, no write actions), ``auth.py`` the basic-auth gate,
``serve.py`` runs it under waitress and refuses a non-loopback address without a password.
"""
