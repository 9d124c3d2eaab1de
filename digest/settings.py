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
            # Degrades to "no cache" when Redis is away, instead of failing requests.
            "BACKEND": "digest.cache.ResilientRedisCache",
            "LOCATION": url.split("?", 1)[0],
            "KEY_PREFIX": prefix,
            # Issue 16: fail fast (a healthy Redis answers in a millisecond), never retry.
            "OPTIONS": {
                "socket_connect_timeout": float(env("CACHE_TIMEOUT", "0.25")),
                "socket_timeout": float(env("CACHE_TIMEOUT", "0.25")),
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
    "pagecache",
    "bench",
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
    "pagecache.middleware.PageCacheMiddleware",
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

CACHES = {
    "default": cache_from_url(env("CACHE_URL") or env("REDIS_URL") or "locmem://"),
    # Rendered cards, in each process's memory, under the page cache's content version
    # (pagecache.fragments): about 1 KB each.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "digest-fragments",
        "OPTIONS": {"MAX_ENTRIES": int(env("DIGEST_FRAGMENT_CACHE_ENTRIES", "20000"))},
    },
}

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
# The interface is English only (nothing is marked for translation): without the translation
# machinery every date, number and variable a page renders costs less (issue 6).
USE_I18N = False
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

# === Production: security, faults, logs, scaling (issue 7) ===================================
# Everything here is env-driven with production-safe defaults when DEBUG is off; see
# .env.example and docs/scaling.md. `manage.py check --deploy --fail-level WARNING` is clean
# with the production environment (tested in tests/test_operator_deploys_securely.py).
#
# Middleware order (outermost first) and why:
#   HealthCheckMiddleware       /healthz and /readyz answer before host checks and SSL redirect,
#                               so load balancers can probe by IP over plain HTTP.
#   SecurityMiddleware          HSTS, nosniff, Referrer-Policy, COOP, SSL redirect.
#   ContentSecurityPolicyMiddleware  Django's CSP (SECURE_CSP).
#   SecurityHeadersMiddleware   Permissions-Policy, CORP; marks admin responses with the admin's
#                               CSP variant, so it must sit inside (after) the CSP middleware.
#   RequestLogMiddleware        one JSON line per request (status, duration).
#   DatabaseUnavailableMiddleware  OperationalError/InterfaceError -> friendly 503 + Retry-After.
#   ReplicaPinMiddleware        (only with DATABASE_REPLICA_URL) pins unsafe/signed-in requests to
#                               the primary.
#   WhiteNoise, sessions, ... (foundation order), AxesMiddleware last (as axes requires).

MIDDLEWARE = [
    "digest.middleware.HealthCheckMiddleware",
    # Issue 16: a NUL byte in the address or a form is a 400 before anything reads it.
    "digest.middleware.BadInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "digest.middleware.SecurityHeadersMiddleware",
    "digest.middleware.RequestLogMiddleware",
    "digest.middleware.DatabaseUnavailableMiddleware",
    *MIDDLEWARE[1:],
    "axes.middleware.AxesMiddleware",
]
INSTALLED_APPS += ["axes"]

# --- HTTPS and cookies. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https (only if the proxy always sets it).
if env("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = tuple(env_list("SECURE_PROXY_SSL_HEADER"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Host (and port) to redirect to when it differs from the request's, e.g. www.example.com.
SECURE_SSL_HOST = env("SECURE_SSL_HOST") or None
# Probes come over plain HTTP from inside the network (HealthCheckMiddleware answers first).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "63072000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# "preload" only allows submitting the domain to browsers' preload list; it submits nothing.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads the token: forms carry it
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# nginx bypasses its micro-cache when this cookie is present (deploy/nginx/digest.conf.template).
SESSION_COOKIE_NAME = env("SESSION_COOKIE_NAME", "sessionid")

# --- Content-Security-Policy (Django's built-in CSP). No inline script anywhere: behaviour is in
# static JS; a view that truly needs an inline script uses {{ csp_nonce }} (CSP.NONCE below).
from django.utils.csp import CSP  # noqa: E402

_media_origin = env("MEDIA_ORIGIN")  # e.g. https://media.example.com when media is on S3/CDN
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_media_origin] if _media_origin else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The admin (and its rich-text editor) sets inline style attributes: allow inline *styles* there
# only, never inline scripts. Applied by SecurityHeadersMiddleware.
DIGEST_ADMIN_CSP = {**SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")
# Sent by SecurityHeadersMiddleware: no powerful feature is used by the site.
DIGEST_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# --- Admin URL and login protection (django-axes): N failures per user name and per IP lock out
# for AXES_COOLOFF_HOURS on the admin and the public sign-in page alike.
ADMIN_URL = env("ADMIN_URL", "admin/").strip("/") + "/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# --- Hostile traffic (issue 16): who a sign-in attempt comes from --------------------------
# A lockout holds a user name *from one address*: failures from an attacker's address never
# lock the user out from anywhere else, nor other users from that address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Proxies in front of gunicorn (nginx alone = 1; a load balancer and nginx = 2): the client
# is that many hops from the right of X-Forwarded-For (digest/clientip.py); 0 = never read
# the header (a forged one cannot pick the address). `check --deploy` refuses a proxy count
# the address cannot be derived with (digest/checks.py).
DIGEST_PROXY_COUNT = int(env("AXES_PROXY_COUNT") or "0")
AXES_CLIENT_IP_CALLABLE = "digest.clientip.client_ip"
INSTALLED_APPS += ["digest.apps.DigestConfig"]  # the checks above and below

# --- Uploads: request and file limits; images are validated against DIGEST_IMAGE_MAX_BYTES
# (articles/images.py), and the storage refuses anything larger and renames every file safely.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(env("FILE_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o644
if env("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible media (AWS_S3_ENDPOINT_URL, AWS_S3_CUSTOM_DOMAIN, credentials from env).
    AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL")
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME")
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
    STORAGES["default"] = {"BACKEND": "digest.storage.SafeS3Storage"}
else:
    STORAGES["default"] = {"BACKEND": "digest.storage.SafeFileSystemStorage"}

# --- Faults: seconds a client is told to wait when the database is unreachable.
DIGEST_RETRY_AFTER = int(env("DIGEST_RETRY_AFTER", "30"))

# --- Read replica: DATABASE_REPLICA_URL adds a "replica" alias; public reads may use it, writes
# and every request that writes or is signed in stay on the primary (digest/db_routers.py).
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["digest.db_routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("digest.middleware.DatabaseUnavailableMiddleware") + 1,
        "digest.middleware.ReplicaPinMiddleware",
    )

# --- Logs: JSON lines on stdout (request log "digest.request", errors with tracebacks). Errors
# are also e-mailed to ADMINS and/or POSTed to ERROR_WEBHOOK_URL, each only when configured.
ADMINS = env_list("ADMINS")  # e.g. "ops@example.com,editor@example.com"
ERROR_WEBHOOK_URL = env("ERROR_WEBHOOK_URL")
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "digest.logs.JsonFormatter"}},
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "one_line_warning": {"()": "digest.logs.OneLineWarning"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
        "webhook": {
            "class": "digest.logs.WebhookHandler",
            "level": "ERROR",
            "url": ERROR_WEBHOOK_URL,
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {
            "handlers": [
                "stdout",
                *(["mail_admins"] if ADMINS else []),
                *(["webhook"] if ERROR_WEBHOOK_URL else []),
            ],
            "level": "WARNING",
            "propagate": False,
        },
        "django.server": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        # Issue 16: a bad Host header (any scanner's) is one WARNING line, no traceback.
        "django.security.DisallowedHost": {
            "handlers": ["stdout"],
            "filters": ["one_line_warning"],
            "level": "WARNING",
            "propagate": False,
        },
        "digest.request": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "digest": {
            "handlers": [
                "stdout",
                *(["mail_admins"] if ADMINS else []),
                *(["webhook"] if ERROR_WEBHOOK_URL else []),
            ],
            "level": LOG_LEVEL,
            "propagate": False,
        },
    },
}

# --- Page cache and HTTP caching (pagecache/conf.py has every setting and its default) ---------

# Whole anonymous pages in the default cache, invalidated by any change readers see.
PAGECACHE_ENABLED = env_bool("PAGECACHE_ENABLED", default=True)
# Longest a stored page lives (it is dropped sooner on any change or scheduled publication).
PAGECACHE_SECONDS = int(env("PAGECACHE_SECONDS", "600"))
# With Redis, each worker process also keeps this much of the pages it served in its own memory
# (bytes; 0 turns it off), kept exact by a Redis channel announcing every change.
PAGECACHE_LOCAL_BYTES = int(env("PAGECACHE_LOCAL_BYTES", str(16 * 1024 * 1024)))
# Never cached: signed-in areas, previews and health checks.
PAGECACHE_EXCLUDE = [
    f"/{ADMIN_URL}", "/accounts/", "/preview/", "/healthz", "/readyz", "/bench/",
]  # fmt: skip
# Signed-in pages no browser may keep either.
PAGECACHE_NO_STORE = [f"/{ADMIN_URL}"]
# Cache-Control for anonymous pages: browsers and CDNs keep them this long…
PAGECACHE_MAX_AGE = int(env("PAGECACHE_MAX_AGE", "30"))
# …and may serve them this much longer while they fetch a fresh copy.
PAGECACHE_STALE_WHILE_REVALIDATE = int(env("PAGECACHE_STALE_WHILE_REVALIDATE", "60"))
# With the local-memory cache, the content version lives in this file, which every process of
# the installation reads (default: beside the SQLite database).
PAGECACHE_VERSION_FILE = env("PAGECACHE_VERSION_FILE")
# The benchmark's bare template view at /bench/bare/ (bench/run.py turns it on).
DIGEST_BENCH_VIEWS = env_bool("DIGEST_BENCH_VIEWS")

# === Failing parts (issue 16) ================================================================
# While Redis is away, each process reuses what it rendered for this long (seconds), under a
# content version of its own (pagecache.state.Outage); the cache's own timeout is CACHE_TIMEOUT.
PAGECACHE_OUTAGE_SECONDS = int(env("PAGECACHE_OUTAGE_SECONDS", "30"))
# The longest a web request waits for PostgreSQL, per connection attempt or statement (seconds):
# then the friendly 503, and the process answers 503 at once until the server answers again
# (digest/dbguard.py). Also the server's statement_timeout for web requests.
DATABASE_TIMEOUT = float(env("DATABASE_TIMEOUT", "5"))
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {}).update(
            {
                "connect_timeout": max(2, min(int(DATABASE_TIMEOUT), 10)),
                # A peer that vanished (a dead host, a cut network) is noticed within ~20 s
                # even on an idle pooled connection; unacknowledged data within the timeout.
                "keepalives": 1,
                "keepalives_idle": 10,
                "keepalives_interval": 5,
                "keepalives_count": 2,
                "tcp_user_timeout": int(DATABASE_TIMEOUT * 1000),
            }
        )
# Password-reset mails to one address an hour, at most (digest/accounts.py).
DIGEST_PASSWORD_RESETS_PER_HOUR = int(env("DIGEST_PASSWORD_RESETS_PER_HOUR", "3"))
# The benchmark's "uncached" requests add ?_=<unique>: only there does it vary a page's key
# (elsewhere only the parameters each view declares do: articles/caching.py).
if DIGEST_BENCH_VIEWS:
    PAGECACHE_EXTRA_PARAMETERS = ["_"]
