"""Test settings: only what tests must swap. Everything else is `digest.settings`."""

import os

os.environ.setdefault("DIGEST_ALLOW_LOCAL_SECRET", "1")

from digest.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The locmem cache outlives each test's rolled-back data, so whole pages are cached only in
# the tests that turn it on (tests/test_reader_gets_cached_pages.py).
DIGEST_PAGE_CACHE = False
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
