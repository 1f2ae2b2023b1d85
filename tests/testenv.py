"""Loaded by pytest before Django is set up (addopts "-p tests.testenv" in pyproject.toml).

The test client and the live server speak plain HTTP: no HTTPS redirect or HSTS in tests. The
production values are checked by tests/accounts/test_security.py::test_deploy_checks_pass_with_production_settings.
"""

import os

os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
