"""Test settings: only what tests must swap. Everything else is `digest.settings`."""

import os

os.environ.setdefault("DIGEST_ALLOW_LOCAL_SECRET", "1")

from digest.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
# The locmem cache outlives each test's rolled-back data, so whole pages are cached only in
# the tests that turn it on (tests/test_reader_gets_cached_pages.py).
DIGEST_PAGE_CACHE = False
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Axes needs a request on every authenticate(); Client.login() has none. Tests of lockout turn
# it on with the `settings` fixture.
AXES_ENABLED = False
# The test client speaks plain HTTP; tests of the redirect turn it on.
SECURE_SSL_REDIRECT = False
# A "replica" alias mirroring the test database, for the replica-router test; no router is on
# unless a test turns it on (tests/test_operator_scales_out_with_a_replica.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
# Newsletter (issue 20): no daily issue assembles itself in the middle of a test; tests of the
# clock turn it on.
NEWSLETTER_DAILY = False
