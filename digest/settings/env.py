"""Reading settings from the environment.

Every variable a settings module reads goes through these helpers with its name spelt out
(``env("NAME", ...)``), so `.env.example` can be checked against the settings' sources
(tests/test_operator_configures_settings.py). A value that cannot be used stops the process
with a message naming the variable, instead of a bare ``ValueError`` from deep in Django.
"""

import os
import secrets
from pathlib import Path
from typing import Any, overload
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    """The variable *name*, or *default* when it is not set."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); *default* when unset or empty."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be 1 or 0 (or true/false, yes/no, on/off), not {value!r}"
    )


def env_int(name: str, default: int) -> int:
    """A whole number; *default* when unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_float(name: str, default: float) -> float:
    """A number (``1``, ``0.5``); *default* when unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list (``a.example,b.example``), blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_from_url(url: str) -> dict[str, Any]:
    """Turn ``CACHE_URL`` into a Django cache definition.

    ``locmem://`` (default), ``dummy://``, ``redis://host:port/db`` (and ``rediss://``),
    ``file:///path/to/dir``; ``?prefix=`` sets the key prefix (``digest`` by default).
    """
    parts = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    prefix = options.pop("prefix", "digest")
    if parts.scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc or "digest",
            "KEY_PREFIX": prefix,
        }
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if parts.scheme in {"redis", "rediss"}:
        return {
            # Degrades to "no cache" when Redis is away, instead of failing requests.
            "BACKEND": "digest.cache.ResilientRedisCache",
            "LOCATION": url.split("?", 1)[0],
            "KEY_PREFIX": prefix,
            # Fail fast (a healthy Redis answers in a millisecond), never retry: a missing
            # cache must cost a render, not seconds.
            "OPTIONS": {
                "socket_connect_timeout": env_float("CACHE_TIMEOUT", 0.25),
                "socket_timeout": env_float("CACHE_TIMEOUT", 0.25),
                "retry_on_timeout": False,
            },
        }
    if parts.scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": parts.path,
            "KEY_PREFIX": prefix,
        }
    raise ImproperlyConfigured(f"CACHE_URL has an unknown scheme: {url!r}")


def local_secret_key(path: Path) -> str:
    """A random key kept in the git-ignored file *path*, so local sessions survive restarts.

    Only the development and test settings use it; production refuses to start without
    ``SECRET_KEY``.
    """
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
