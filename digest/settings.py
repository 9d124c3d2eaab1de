"""Digest settings.

Everything that differs between machines comes from the environment (see `.env.example`);
the defaults are safe for a local run on SQLite. With ``DEBUG`` off the process refuses to
start without a ``SECRET_KEY``.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_from_url(url):
    """Turn ``CACHE_URL`` into a Django cache definition.

    ``locmem://`` (default), ``dummy://``, ``redis://host:port/db`` (and ``rediss://``),
    ``file:///path/to/dir``.
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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url.split("?", 1)[0],
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if parts.scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": parts.path,
            "KEY_PREFIX": prefix,
        }
    raise ImproperlyConfigured(f"CACHE_URL has an unknown scheme: {url!r}")


def local_secret_key():
    """A random key kept in a git-ignored file, so local sessions survive restarts."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not env_bool("DIGEST_ALLOW_LOCAL_SECRET"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For a local run set DEBUG=1 "
            "(make run does), or generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "articles",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    # Editors' admin (issue 5): rich-text body, revision history.
    "django_prose_editor",
    "reversion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a cached anonymous page is answered without them (issue 6).
    "articles.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

ROOT_URLCONF = "digest.urls"
WSGI_APPLICATION = "digest.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(env("CACHE_URL") or env("REDIS_URL") or "locmem://")}

SITE_ID = 1

# --- Auth -------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", "Asia/Baku")
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 if DEBUG else 31536000

# --- E-mail -------------------------------------------------------------------------------------

# Django 6.1's MAILERS: SMTP when EMAIL_HOST is set, the console otherwise (DEBUG) or nowhere.
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": int(env("EMAIL_PORT", "25")),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.dummy.EmailBackend"
        }
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Digest <noreply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Digest -------------------------------------------------------------------------------------

# Reading pace used for "N min read".
DIGEST_WORDS_PER_MINUTE = int(env("DIGEST_WORDS_PER_MINUTE", "200"))
# Largest file the importer accepts.
DIGEST_IMPORT_MAX_BYTES = int(env("DIGEST_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# Issue 4 (importer): tags match case-insensitively ("Baku" and "baku" are one tag).
TAGGIT_CASE_INSENSITIVE = True
# Articles per list page.
DIGEST_PAGE_SIZE = int(env("DIGEST_PAGE_SIZE", "20"))

# --- Public site (issue 3) ----------------------------------------------------------------------

# The static pages the chrome links to by name (flatpage URLs, editable in the admin).
DIGEST_ABOUT_URL = env("DIGEST_ABOUT_URL", "/who-we-are/")
DIGEST_PRIVACY_URL = env("DIGEST_PRIVACY_URL", "/privacy-policy/")
DIGEST_TERMS_URL = env("DIGEST_TERMS_URL", "/terms-and-conditions/")
# The category the home page shows as its opinion column.
DIGEST_OPINION_CATEGORY = env("DIGEST_OPINION_CATEGORY", "opinion")
# Articles per category block on the home page.
DIGEST_HOME_SECTION_SIZE = int(env("DIGEST_HOME_SECTION_SIZE", "4"))

# --- Editors' admin (issue 5) -------------------------------------------------------------------

# Featured images: largest upload in bytes and in pixels (width × height); accepted formats.
DIGEST_IMAGE_MAX_BYTES = int(env("DIGEST_IMAGE_MAX_BYTES", str(10 * 1024 * 1024)))
DIGEST_IMAGE_MAX_PIXELS = int(env("DIGEST_IMAGE_MAX_PIXELS", str(40_000_000)))
# Widths of the WebP renditions made once per upload, for the public srcset.
DIGEST_IMAGE_WIDTHS = [480, 800, 1200, 1600]
# How long a signed preview link to an unpublished article stays valid, in seconds.
DIGEST_PREVIEW_MAX_AGE = int(env("DIGEST_PREVIEW_MAX_AGE", str(7 * 24 * 3600)))

# --- Page cache and HTTP caching (issue 6; see articles/cache.py) -------------------------------

# Whole anonymous pages in the default cache, invalidated by any content change.
DIGEST_PAGE_CACHE = env_bool("DIGEST_PAGE_CACHE", default=True)
# Longest a stored page lives (it is dropped sooner on any change or scheduled publication).
DIGEST_PAGE_CACHE_SECONDS = int(env("DIGEST_PAGE_CACHE_SECONDS", "600"))
# Never cached: signed-in areas, previews and health checks.
DIGEST_PAGE_CACHE_EXCLUDE = ["/admin/", "/accounts/", "/preview/", "/healthz", "/readyz"]
# Cache-Control for anonymous pages: browsers and CDNs keep them this long…
DIGEST_HTTP_MAX_AGE = int(env("DIGEST_HTTP_MAX_AGE", "30"))
# …and may serve them this much longer while they fetch a fresh copy.
DIGEST_HTTP_STALE_WHILE_REVALIDATE = int(env("DIGEST_HTTP_STALE_WHILE_REVALIDATE", "60"))
# The benchmark's bare template view at /bench/bare/ (bench/run.py turns it on).
DIGEST_BENCH_VIEWS = env_bool("DIGEST_BENCH_VIEWS")
