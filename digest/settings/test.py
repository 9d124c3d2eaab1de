"""pytest's settings (pyproject.toml): only what tests must swap. Everything else is `base`,
with DEBUG off unless the environment turns it on, as in production."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, DATABASES, SECRET_KEY, STORAGES
from .env import local_secret_key

SECRET_KEY = SECRET_KEY or local_secret_key(BASE_DIR / ".secret_key")
# Hashing passwords properly takes most of a sign-in test's time; tests need no safety here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No manifest: tests render pages without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The locmem cache outlives each test's rolled-back data, so whole pages are cached only in
# the tests that turn it on (tests/test_reader_gets_cached_pages.py).
PAGECACHE_ENABLED = False
# The content version of this test process alone (the default file is shared by every process
# of an installation, and other test runs may be working beside this one).
PAGECACHE_VERSION_FILE = os.environ.get("PAGECACHE_VERSION_FILE") or os.path.join(
    tempfile.gettempdir(), f"pagecache-test-{os.getpid()}"
)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Axes needs a request on every authenticate(); Client.login() has none. Tests of lockout turn
# it on with the `settings` fixture.
AXES_ENABLED = False
# The test client speaks plain HTTP; tests of the redirect turn it on.
SECURE_SSL_REDIRECT = False
# A "replica" alias mirroring the test database, for the replica-router test; no router is on
# unless a test turns it on (tests/test_operator_scales_out_with_a_replica.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# No daily issue assembles itself in the middle of a test; tests of the clock turn it on.
NEWSLETTER_DAILY = False
