"""Digest's settings, by concern; the modules beside this one pick what differs.

Everything that differs between machines comes from the environment, each variable
documented in `.env.example`. ``DEBUG`` decides the defaults that must differ between a
laptop and the internet (allowed hosts, HTTPS redirect, HSTS, mail): `development` turns it
on unless told otherwise, `production` refuses it. The secret key is not chosen here:
`development` and `test` fall back to a local file, `production` refuses to start without one.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from .env import cache_from_url, env, env_bool, env_float, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Core ---------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)
# Empty here on purpose: each of development/production/test says what happens without one.
SECRET_KEY = env("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
ROOT_URLCONF = "digest.urls"
WSGI_APPLICATION = "digest.wsgi.application"
SITE_ID = 1

# --- Apps & middleware --------------------------------------------------------------------------

INSTALLED_APPS = [
    "articles",  # first, so its templates override the admin's and the other apps'
    "pagecache",  # whole anonymous pages, invalidated by the content version
    "bench",  # seed_demo and the benchmark's bare view
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # runserver serves static files as production does
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_prose_editor",  # the admin's rich-text body
    "reversion",  # the admin's revision history
    "axes",  # sign-in throttling (Security below)
    "django_tasks_db",  # the task queue in the database (the newsletter sends through it)
    "newsletter",  # the Daily Digest by e-mail
    "digest.apps.DigestConfig",  # the project's deploy checks (digest/checks.py)
]

# Outermost first; each line says why it sits where it does.
#   HealthCheckMiddleware       /healthz and /readyz answer before host checks and the HTTPS
#                               redirect, so load balancers can probe by IP over plain HTTP.
#   BadInputMiddleware          a NUL byte in the address or a form is a 400 before anything
#                               reads it.
#   SecurityMiddleware          HSTS, nosniff, Referrer-Policy, COOP, HTTPS redirect.
#   ContentSecurityPolicyMiddleware  Django's CSP (SECURE_CSP).
#   SecurityHeadersMiddleware   Permissions-Policy, CORP; gives admin responses the admin's CSP
#                               variant, so it must sit inside (after) the CSP middleware.
#   RequestLogMiddleware        one JSON line per request (status, duration), errors included.
#   DatabaseUnavailableMiddleware  OperationalError/InterfaceError -> friendly 503 + Retry-After.
#   ReplicaPinMiddleware        only with DATABASE_REPLICA_URL: pins unsafe and signed-in
#                               requests to the primary, before anything reads the database.
#   WhiteNoiseMiddleware        static files, before anything that needs a session.
#   PageCacheMiddleware         before sessions: a cached anonymous page is answered without
#                               reading one (pagecache.middleware).
#   Sessions … clickjacking     Django's own order.
#   Redirect/Flatpage fallbacks turn a 404 into an old address's 301 or a static page.
#   AxesMiddleware              last, as django-axes requires.
MIDDLEWARE = [
    "digest.middleware.HealthCheckMiddleware",
    "digest.middleware.BadInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "digest.middleware.SecurityHeadersMiddleware",
    "digest.middleware.RequestLogMiddleware",
    "digest.middleware.DatabaseUnavailableMiddleware",
    *(["digest.middleware.ReplicaPinMiddleware"] if env("DATABASE_REPLICA_URL") else []),
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "articles.moved.OldQueryAddressMiddleware",  # /?p=123 of a moved site (issue 17)
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.moved.OldAddressFallbackMiddleware",  # a moved site's old addresses (issue 17)
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "axes.middleware.AxesMiddleware",
]

# --- Templates ----------------------------------------------------------------------------------

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
                # {{ csp_nonce }} for the rare view that truly needs an inline script.
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}

# A read replica adds a "replica" alias: public reads may use it; writes and every request
# that writes or is signed in stay on the primary (digest/db_routers.py, ReplicaPinMiddleware).
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL", ""),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["digest.db_routers.PrimaryReplicaRouter"]

# The longest a web request waits for PostgreSQL, per connection attempt or statement
# (seconds): then the friendly 503, and the process answers 503 at once until the server
# answers again (digest/dbguard.py). Also the server's statement_timeout for web requests.
DATABASE_TIMEOUT = env_float("DATABASE_TIMEOUT", 5.0)
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {}).update(
            {
                "connect_timeout": max(2, min(int(DATABASE_TIMEOUT), 10)),
                # A peer that vanished (a dead host, a cut network) is noticed within ~20 s
                # even on an idle pooled connection. Web processes also give up on data left
                # unacknowledged for DATABASE_TIMEOUT (digest/dbguard.py): not commands, whose
                # COPY may wait out a checkpoint.
                "keepalives": 1,
                "keepalives_idle": 10,
                "keepalives_interval": 5,
                "keepalives_count": 2,
            }
        )

# PostgreSQL: an article page's lookup is a statement each session prepares once (issue 21).
# Off behind a proxy that shares sessions between clients (PgBouncer's transaction mode).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------

CACHES = {
    # Redis in production, shared by every app server; the process's memory by default.
    "default": cache_from_url(env("CACHE_URL") or env("REDIS_URL") or "locmem://"),
    # Rendered cards and the parts pages share, in each process's memory, under the page
    # cache's content version (pagecache.fragments): about 1 KB each, kept unpickled.
    "fragments": {
        "BACKEND": "pagecache.memory.ObjectCache",
        "LOCATION": "digest-fragments",
        "OPTIONS": {"MAX_ENTRIES": env_int("DIGEST_FRAGMENT_CACHE_ENTRIES", 20000)},
    },
}

# --- Security -----------------------------------------------------------------------------------
# `manage.py check --deploy --fail-level WARNING` is clean with the production environment
# (tests/test_operator_deploys_securely.py); docs/scaling.md says what sits in front.

# HTTPS. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https,
# and only if the proxy always sets that header (else a client could claim HTTPS).
if env("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = tuple(env_list("SECURE_PROXY_SSL_HEADER"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Host (and port) to redirect to when it differs from the request's, e.g. www.example.com.
SECURE_SSL_HOST = env("SECURE_SSL_HOST") or None
# Probes come over plain HTTP from inside the network (HealthCheckMiddleware answers first).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# "preload" only allows submitting the domain to browsers' preload list; it submits nothing.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)

# Cookies: secure wherever HTTPS is, never readable by script.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads the token: forms carry it
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# nginx bypasses its micro-cache when this cookie is present (deploy/nginx/digest.conf.template).
SESSION_COOKIE_NAME = env("SESSION_COOKIE_NAME", "sessionid")

# Content-Security-Policy (Django's built-in). No inline script anywhere: behaviour is in
# static JS; a view that truly needs an inline script uses {{ csp_nonce }} (CSP.NONCE).
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
# The admin (and its rich-text editor) sets inline style attributes: allow inline *styles*
# there only, never inline scripts. Applied by SecurityHeadersMiddleware.
DIGEST_ADMIN_CSP = {**SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

# Other headers. Permissions-Policy is sent by SecurityHeadersMiddleware: the site uses no
# powerful browser feature.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DIGEST_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# Admin URL: somewhere other than /admin/ keeps most bots off its sign-in page.
ADMIN_URL = env("ADMIN_URL", "admin/").strip("/") + "/"

# Accounts and passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Sign-in throttling (django-axes): N failures per user name and per IP lock out for
# AXES_COOLOFF_HOURS, on the admin and the public sign-in page alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 1.0)
# A lockout holds a user name *from one address*: failures from an attacker's address never
# lock the user out from anywhere else, nor other users from that address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies in front of gunicorn (nginx alone = 1; a load balancer and nginx = 2): the client is
# that many hops from the right of X-Forwarded-For (digest/clientip.py); 0 = never read the
# header (a forged one cannot pick the address). `check --deploy` refuses a proxy count the
# address cannot be derived with (digest/checks.py).
DIGEST_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "digest.clientip.client_ip"
# Password-reset mails to one address an hour, at most (digest/accounts.py).
DIGEST_PASSWORD_RESETS_PER_HOUR = env_int("DIGEST_PASSWORD_RESETS_PER_HOUR", 3)

# --- Mail ---------------------------------------------------------------------------------------

# Django 6.1's MAILERS: SMTP when EMAIL_HOST is set; otherwise the console with DEBUG (a
# password-reset link shows in the terminal) and nowhere without it.
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 25),
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

# --- Static files, media and uploads ------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Fingerprinted names never change content, so browsers may keep them a year; a minute
# while developing.
WHITENOISE_MAX_AGE = 60 if DEBUG else 31536000
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))

# Media on disk, or in an S3-compatible bucket shared by every app server. Either storage
# refuses files larger than DIGEST_IMAGE_MAX_BYTES (DIGEST_DOCUMENT_MAX_BYTES under files/)
# and renames every file safely.
if env("AWS_STORAGE_BUCKET_NAME"):
    # Credentials come from the environment as boto3 reads them (AWS_ACCESS_KEY_ID, …).
    AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL")
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME")
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
    _media_storage = "digest.storage.SafeS3Storage"
else:
    _media_storage = "digest.storage.SafeFileSystemStorage"
STORAGES = {
    "default": {"BACKEND": _media_storage},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Request and file limits (bytes); images and documents are also checked by content
# (articles/images.py, articles/documents.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o644
# Featured images: largest upload in bytes and in pixels (width × height).
DIGEST_IMAGE_MAX_BYTES = env_int("DIGEST_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
DIGEST_IMAGE_MAX_PIXELS = env_int("DIGEST_IMAGE_MAX_PIXELS", 40_000_000)
# Widths of the WebP renditions made once per upload, for the public srcset.
DIGEST_IMAGE_WIDTHS = [480, 800, 1200, 1600]
# Files readers download from an article (PDF, Office documents, audio): largest upload in bytes.
# nginx's client_max_body_size (deploy/nginx/) must stay above it.
DIGEST_DOCUMENT_MAX_BYTES = env_int("DIGEST_DOCUMENT_MAX_BYTES", 50 * 1024 * 1024)

# --- Logging ------------------------------------------------------------------------------------
# JSON lines on stdout (the request log "digest.request", errors with tracebacks). Errors are
# also e-mailed to ADMINS and/or POSTed to ERROR_WEBHOOK_URL, each only when configured.

ADMINS = env_list("ADMINS")  # e.g. "ops@example.com,editor@example.com"
ERROR_WEBHOOK_URL = env("ERROR_WEBHOOK_URL")
LOG_LEVEL = env("LOG_LEVEL", "INFO")
_error_reports = [*(["mail_admins"] if ADMINS else []), *(["webhook"] if ERROR_WEBHOOK_URL else [])]
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
            "handlers": ["stdout", *_error_reports],
            "level": "WARNING",
            "propagate": False,
        },
        "django.server": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        # A bad Host header (any scanner's) is one WARNING line, no traceback.
        "django.security.DisallowedHost": {
            "handlers": ["stdout"],
            "filters": ["one_line_warning"],
            "level": "WARNING",
            "propagate": False,
        },
        "digest.request": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "digest": {
            "handlers": ["stdout", *_error_reports],
            "level": LOG_LEVEL,
            "propagate": False,
        },
    },
}

# --- Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", "Asia/Baku")  # the newsroom's: dates in URLs and archives
# The interface is English only (nothing is marked for translation): without the translation
# machinery every date, number and variable a page renders costs less.
USE_I18N = False
USE_TZ = True

# --- Digest's own settings ----------------------------------------------------------------------

# Reading pace used for "N min read".
DIGEST_WORDS_PER_MINUTE = env_int("DIGEST_WORDS_PER_MINUTE", 200)
# Largest file the importer accepts.
DIGEST_IMPORT_MAX_BYTES = env_int("DIGEST_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# django-taggit: tags match case-insensitively ("Baku" and "baku" are one tag), so imports
# and editors never make near-duplicates.
TAGGIT_CASE_INSENSITIVE = True
# Articles per list page.
DIGEST_PAGE_SIZE = env_int("DIGEST_PAGE_SIZE", 20)
# The static pages the chrome links to by name (flatpage URLs, editable in the admin).
DIGEST_ABOUT_URL = env("DIGEST_ABOUT_URL", "/who-we-are/")
DIGEST_PRIVACY_URL = env("DIGEST_PRIVACY_URL", "/privacy-policy/")
DIGEST_TERMS_URL = env("DIGEST_TERMS_URL", "/terms-and-conditions/")
# The category the home page shows as its opinion column.
DIGEST_OPINION_CATEGORY = env("DIGEST_OPINION_CATEGORY", "opinion")
# Articles per category block on the home page.
DIGEST_HOME_SECTION_SIZE = env_int("DIGEST_HOME_SECTION_SIZE", 4)
# How long a signed preview link to an unpublished article stays valid, in seconds.
DIGEST_PREVIEW_MAX_AGE = env_int("DIGEST_PREVIEW_MAX_AGE", 7 * 24 * 3600)
# Seconds a client is told to wait (Retry-After) while the database is unreachable.
DIGEST_RETRY_AFTER = env_int("DIGEST_RETRY_AFTER", 30)

# --- Page cache and HTTP caching (pagecache/conf.py has every setting and its default) ---------

# Whole anonymous pages in the default cache, invalidated by any change readers see.
PAGECACHE_ENABLED = env_bool("PAGECACHE_ENABLED", default=True)
# Longest a stored page lives (it is dropped sooner on any change or scheduled publication).
PAGECACHE_SECONDS = env_int("PAGECACHE_SECONDS", 600)
# With Redis, each worker process also keeps this much of the pages it served in its own memory
# (bytes; 0 turns it off), kept exact by a Redis channel announcing every change.
PAGECACHE_LOCAL_BYTES = env_int("PAGECACHE_LOCAL_BYTES", 16 * 1024 * 1024)
# Never cached: signed-in areas, previews and health checks.
PAGECACHE_EXCLUDE = [
    f"/{ADMIN_URL}", "/accounts/", "/preview/", "/healthz", "/readyz", "/bench/",
]  # fmt: skip
# Signed-in pages that no browser may keep either.
PAGECACHE_NO_STORE = [f"/{ADMIN_URL}"]
# Cache-Control for anonymous pages: browsers and CDNs keep them this long…
PAGECACHE_MAX_AGE = env_int("PAGECACHE_MAX_AGE", 30)
# …and may serve them this much longer while they fetch a fresh copy.
PAGECACHE_STALE_WHILE_REVALIDATE = env_int("PAGECACHE_STALE_WHILE_REVALIDATE", 60)
# With the local-memory cache, the content version lives in this file, which every process of
# the installation reads (default: beside the SQLite database).
PAGECACHE_VERSION_FILE = env("PAGECACHE_VERSION_FILE")
# The benchmark's bare template view at /bench/bare/ (bench/run.py turns it on).
DIGEST_BENCH_VIEWS = env_bool("DIGEST_BENCH_VIEWS")
# The benchmark's "uncached" requests add ?_=<unique>: only there does it vary a page's key
# (elsewhere only the parameters each view declares do: articles/caching.py).
PAGECACHE_EXTRA_PARAMETERS = ["_"] if DIGEST_BENCH_VIEWS else []
# While Redis is away, each process reuses what it rendered for this long (seconds), under a
# content version of its own (pagecache.state); the cache's own timeout is CACHE_TIMEOUT.
PAGECACHE_OUTAGE_SECONDS = env_int("PAGECACHE_OUTAGE_SECONDS", 30)

# --- The Daily Digest by e-mail (newsletter/) ----------------------------------------------------

# Tasks run out of the web process through Django's Tasks framework on django-tasks-db's
# database queue (`manage.py db_worker`; `make run` and the compose `worker` service start it).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Absolute links and images in e-mails (a worker has no request to take the host from).
NEWSLETTER_BASE_URL = env("NEWSLETTER_BASE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS and not DEBUG else "http://127.0.0.1:8000"
)
NEWSLETTER_FROM_EMAIL = env("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# The MAILERS alias the newsletter sends through, and how the admin names that server.
NEWSLETTER_MAILER = env("NEWSLETTER_MAILER", "default")
NEWSLETTER_SERVER_LABEL = f"{env('EMAIL_HOST', 'no EMAIL_HOST')}:{env('EMAIL_PORT', '25')}"
# The daily issue: assembled this many minutes before its send time (newsroom time zone),
# when editors may reorder, introduce, test, reschedule or send it; then it goes by itself.
NEWSLETTER_DAILY = env_bool("NEWSLETTER_DAILY", default=True)
NEWSLETTER_SEND_AT = env("NEWSLETTER_SEND_AT", "07:00")
NEWSLETTER_ASSEMBLE_MINUTES = env_int("NEWSLETTER_ASSEMBLE_MINUTES", 60)
NEWSLETTER_MAX_ITEMS = env_int("NEWSLETTER_MAX_ITEMS", 30)
# Sending: parallel lanes (one per worker process), deliveries per batch, seconds a claim
# lasts before a stalled one (its worker died) is taken back, and retries of 4xx answers.
NEWSLETTER_LANES = env_int("NEWSLETTER_LANES", 2)
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 500)
NEWSLETTER_LEASE_SECONDS = env_float("NEWSLETTER_LEASE_SECONDS", 60)
NEWSLETTER_RETRY_SECONDS = env_int("NEWSLETTER_RETRY_SECONDS", 300)
NEWSLETTER_MAX_ATTEMPTS = env_int("NEWSLETTER_MAX_ATTEMPTS", 6)
# While the mail server is away: first pause, longest pause (seconds).
NEWSLETTER_SERVER_RETRY_SECONDS = env_float("NEWSLETTER_SERVER_RETRY_SECONDS", 5)
NEWSLETTER_SERVER_RETRY_MAX_SECONDS = env_float("NEWSLETTER_SERVER_RETRY_MAX_SECONDS", 300)
NEWSLETTER_CLOCK_SECONDS = env_float("NEWSLETTER_CLOCK_SECONDS", 60)
# Subscribing: confirmation links last a week; requests per IP and per address.
NEWSLETTER_CONFIRM_MAX_AGE = env_int("NEWSLETTER_CONFIRM_MAX_AGE", 7 * 24 * 3600)
NEWSLETTER_THROTTLE_PER_IP = (env_int("NEWSLETTER_THROTTLE_PER_IP", 10), 3600)
NEWSLETTER_THROTTLE_PER_ADDRESS = (env_int("NEWSLETTER_THROTTLE_PER_ADDRESS", 3), 24 * 3600)
# SMTP connections per lane: a group of messages waits for its final dot on them while one
# commit records the group as handed over (newsletter/sending.py).
NEWSLETTER_CONNECTIONS = env_int("NEWSLETTER_CONNECTIONS", 8)

# --- The news desk ------------------------------------------------------------------------------
# A draft being edited is autosaved (privately, not as a revision) this often, in seconds.
DIGEST_AUTOSAVE_SECONDS = env_int("DIGEST_AUTOSAVE_SECONDS", 30)
# The soft editing lock: the open form's heartbeat, and when a silent holder counts as gone.
DIGEST_PRESENCE_HEARTBEAT_SECONDS = env_int("DIGEST_PRESENCE_HEARTBEAT_SECONDS", 20)
DIGEST_PRESENCE_STALE_SECONDS = env_int("DIGEST_PRESENCE_STALE_SECONDS", 60)
# Images in article bodies: the body editor's image picker (django-prose-editor's Figure).
DIGEST_BODY_IMAGE_WIDTH = env_int("DIGEST_BODY_IMAGE_WIDTH", 800)
