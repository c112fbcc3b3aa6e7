"""Linkwell settings: everything an operator may change comes from the environment.

SQLite (WAL, synchronous=FULL) is the embedded default; PostgreSQL when DATABASE_URL is set.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str, local_site_url, secret_key_file

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LINKWELL_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# Behind TLS in production; `make run` and the tests turn it off for plain http on loopback.
LINKWELL_HTTPS = env_bool("LINKWELL_HTTPS", not DEBUG)
SECRET_KEY = env_str("SECRET_KEY") or secret_key_file(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public base URL of links, e-mails and API entities. Unset, it is where `linkwell serve`
# listens (HOST/PORT, which `make run` passes), so `make run PORT=8101` links to 8101.
SITE_URL = (
    env_str("SITE_URL") or local_site_url(env_str("HOST") or "127.0.0.1", env_int("PORT", 8000))
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",  # sign-in throttling (U3): accounts.throttle
    "csp",  # Content-Security-Policy: CONTENT_SECURITY_POLICY below
    "ninja",  # serves /api/docs assets from our static files, not a CDN
    "oauth2_provider",
    "django_tasks",
    "django_tasks.backends.database",
    "core",
    "accounts",
    "profiles",
    "network",
    "pages",
    "relationships",  # issue 15: A1–A4
    "feed",
    "messaging",
    "notifications",
    "search",
    "membership",  # no models: `linkwell recount`
    "portability",  # issue 17: imports from LinkedIn and Mastodon, exports (docs/portability.md)
    "jobs",  # no models: `linkwell worker`, `linkwell jobs`
    "api",
    "web",
    "demo",
]

MIDDLEWARE = [
    # CPython 3.11 maps and unmaps a frame-stack chunk per call at a chunk's edge: the request
    # runs above one large frame instead (core/stack.py; the home page's templates 24 -> 10 ms)
    "core.stack.RoomyStack",
    "core.heap.FreezeWarmHeap",  # a worker's warm caches out of the collector's walk
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The browser's language (the footer's cookie, else Accept-Language, else LANGUAGE_CODE),
    # before the edge so that its refusals speak it too; it reads no session. docs/i18n.md
    "django.middleware.locale.LocaleMiddleware",
    "core.edge.EdgeMiddleware",  # refuses NUL, lone surrogates, ids past 64 bits: docs/security.md
    # GET reads on the replica unless this member wrote moments ago (DATABASE_REPLICA_URL)
    "core.replica.ReadYourWrites",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.i18n.MemberLanguage",  # a signed-in member's own language wins over the browser's
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "web.errors.NotFoundAsPage",  # core.errors.NotFound from any view: the 404 page
    "csp.middleware.CSPMiddleware",
    # Last, as axes asks: it answers a refused sign-in that the door itself didn't show.
    "axes.middleware.AxesMiddleware",
]

# `linkwell bench web` only: each answer names its SQL statement count (core.querycount).
# Never on a production site: ignored whenever LINKWELL_HTTPS is on.
LINKWELL_BENCH_QUERIES = env_bool("LINKWELL_BENCH_QUERIES", False) and not LINKWELL_HTTPS
if LINKWELL_BENCH_QUERIES:
    MIDDLEWARE.insert(0, "core.querycount.QueryCountHeader")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context.shell",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
# Under ASGI each request's sync code runs on a thread of its own, so connections kept per
# thread (conn_max_age) piled up: at concurrency 8 two workers held 82 of PostgreSQL's 100
# and answered 503 (docs/scaling.md). A pool per process instead, at most this many.
LINKWELL_DB_POOL_SIZE = env_int("LINKWELL_DB_POOL_SIZE", 8)
# After these requests a worker freezes what it holds, once collected (core/heap.py): its warm
# caches leave the garbage collector's walk. The tests set none.
LINKWELL_WARM_FREEZES = (100, 1_000, 10_000)


def _postgres(url: str) -> dict:
    """A PostgreSQL database through a psycopg pool (0: one connection per request). The pool
    checks a connection before lending it, so one kept from before a restart of PostgreSQL
    is replaced instead of failing the request."""
    database = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    if LINKWELL_DB_POOL_SIZE > 0:
        database["OPTIONS"] = {
            **database.get("OPTIONS", {}),
            "pool": {"min_size": 1, "max_size": LINKWELL_DB_POOL_SIZE, "timeout": 10},
        }
    return database


if DATABASE_URL:
    DATABASES = {"default": _postgres(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("LINKWELL_SQLITE_PATH", str(VAR_DIR / "linkwell.sqlite3")),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; FULL fsyncs every commit so a
                # crash loses nothing; IMMEDIATE takes the write lock at BEGIN so two writers
                # queue on busy_timeout instead of failing mid-transaction.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Several developers or CI jobs may share one PostgreSQL server: a distinct test database.
_test_db_name = env_str("LINKWELL_TEST_DB_NAME")
if _test_db_name:
    DATABASES["default"]["TEST"] = {"NAME": _test_db_name}
# A PostgreSQL streaming replica for the reads of GET requests (core/replica.py): a member
# who just wrote reads the primary for LINKWELL_READ_PRIMARY_SECONDS (read-your-writes).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _postgres(DATABASE_REPLICA_URL)
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.PrimaryReplicaRouter"]
LINKWELL_READ_PRIMARY_SECONDS = env_int("LINKWELL_READ_PRIMARY_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work -------------------------------------------------------------------
# Inline on the embedded default; a real queue (the database backend + `linkwell worker`,
# jobs/worker.py: leases, retries with backoff, `linkwell jobs --failed`) when
# LINKWELL_TASKS=queue. Why this backend and not Celery: docs/architecture.md, "Background work".
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.database.DatabaseBackend"
            if env_str("LINKWELL_TASKS", "inline") == "queue"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# A failed job runs again after BACKOFF, 2 x BACKOFF, 4 x ... seconds, MAX_ATTEMPTS runs in
# all; a job still marked running LEASE seconds after it started (its worker died) is queued
# again. Every job is idempotent, so a second run changes nothing more than the first.
LINKWELL_JOB_MAX_ATTEMPTS = env_int("LINKWELL_JOB_MAX_ATTEMPTS", 5)
LINKWELL_JOB_BACKOFF_SECONDS = env_int("LINKWELL_JOB_BACKOFF_SECONDS", 10)
LINKWELL_JOB_LEASE_SECONDS = env_int("LINKWELL_JOB_LEASE_SECONDS", 600)

# --- Accounts --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's database sessions; the per-request read as SQL built once (accounts/sessions.py)
SESSION_ENGINE = "accounts.sessions"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LINKWELL_REQUIRE_EMAIL_CONFIRMATION = env_bool("LINKWELL_REQUIRE_EMAIL_CONFIRMATION", True)
LINKWELL_LOGIN_FAILURES_PER_ACCOUNT = env_int("LINKWELL_LOGIN_FAILURES_PER_ACCOUNT", 5)
LINKWELL_LOGIN_FAILURES_PER_IP = env_int("LINKWELL_LOGIN_FAILURES_PER_IP", 20)
LINKWELL_LOGIN_LOCKOUT = timedelta(minutes=env_int("LINKWELL_LOGIN_LOCKOUT_MINUTES", 15))
# Password-reset mails (U3): per address and per IP, in a rolling hour; silent past the limit.
LINKWELL_PASSWORD_RESETS_PER_ADDRESS = env_int("LINKWELL_PASSWORD_RESETS_PER_ADDRESS", 3)
LINKWELL_PASSWORD_RESETS_PER_IP = env_int("LINKWELL_PASSWORD_RESETS_PER_IP", 10)
LINKWELL_PASSWORD_RESET_WINDOW = timedelta(
    minutes=env_int("LINKWELL_PASSWORD_RESET_WINDOW_MINUTES", 60)
)

# django-axes on every door that takes a password (U3); what it adds is in accounts/throttle.py
# and docs/accounts.md. The limits above are the ones in force; axes' settings follow them.
AUTHENTICATION_BACKENDS = ["accounts.backends.MemberBackend"]
AXES_HANDLER = "accounts.throttle.SignInThrottle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LINKWELL_LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = LINKWELL_LOGIN_LOCKOUT
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "accounts.throttle.account_key_from"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# --- E-mail ----------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Linkwell <noreply@localhost>")

# --- Product limits (docs/rules.md); every limit is a setting with the rule's default --
LINKWELL_INVITATION_NOTE_MAX = env_int("LINKWELL_INVITATION_NOTE_MAX", 300)  # N1
LINKWELL_INVITATIONS_PER_WEEK = env_int("LINKWELL_INVITATIONS_PER_WEEK", 100)  # N5
# Issue 17 (docs/portability.md): the largest upload, e-mails inviting LinkedIn contacts to
# join per member in any 7 days, and how long an export may be downloaded.
LINKWELL_IMPORT_MAX_BYTES = env_int("LINKWELL_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
LINKWELL_JOIN_INVITES_PER_WEEK = env_int("LINKWELL_JOIN_INVITES_PER_WEEK", 100)
LINKWELL_EXPORT_DAYS = env_int("LINKWELL_EXPORT_DAYS", 7)
LINKWELL_REINVITE_AFTER_WITHDRAW_DAYS = env_int("LINKWELL_REINVITE_AFTER_WITHDRAW_DAYS", 21)  # N4
LINKWELL_DONT_KNOW_LIMIT = env_int("LINKWELL_DONT_KNOW_LIMIT", 5)  # N3
LINKWELL_MAX_CONNECTIONS = env_int("LINKWELL_MAX_CONNECTIONS", 30_000)  # N7
# A3/A4: docs/relationships.md
LINKWELL_KEEP_IN_TOUCH_DAYS = env_int("LINKWELL_KEEP_IN_TOUCH_DAYS", 182)  # about 6 months
LINKWELL_SAY_HELLO_DAYS = env_int("LINKWELL_SAY_HELLO_DAYS", 7)
LINKWELL_STRENGTH_HALF_LIFE_DAYS = env_int("LINKWELL_STRENGTH_HALF_LIFE_DAYS", 90)
LINKWELL_REBLOCK_AFTER_HOURS = env_int("LINKWELL_REBLOCK_AFTER_HOURS", 48)  # B2
LINKWELL_INMAIL_CREDITS_PER_MONTH = env_int("LINKWELL_INMAIL_CREDITS_PER_MONTH", 5)  # M3
LINKWELL_INMAIL_CREDIT_DAYS = env_int("LINKWELL_INMAIL_CREDIT_DAYS", 90)  # M3
LINKWELL_MESSAGE_REQUEST_COOLDOWN_DAYS = env_int("LINKWELL_MESSAGE_REQUEST_COOLDOWN_DAYS", 90)
LINKWELL_MESSAGE_MAX_CHARACTERS = env_int("LINKWELL_MESSAGE_MAX_CHARACTERS", 8000)  # M1
LINKWELL_INMAIL_MAX_CHARACTERS = env_int("LINKWELL_INMAIL_MAX_CHARACTERS", 2000)  # M3
LINKWELL_INMAIL_SUBJECT_MAX = env_int("LINKWELL_INMAIL_SUBJECT_MAX", 200)  # M3
LINKWELL_GROUP_MAX_MEMBERS = env_int("LINKWELL_GROUP_MAX_MEMBERS", 50)  # M1: groups
LINKWELL_MESSAGE_MAX_ATTACHMENTS = env_int("LINKWELL_MESSAGE_MAX_ATTACHMENTS", 4)  # M1
LINKWELL_MESSAGE_FILE_MAX_BYTES = env_int("LINKWELL_MESSAGE_FILE_MAX_BYTES", 10 * 1024 * 1024)
LINKWELL_STREAM_HEARTBEAT_SECONDS = env_int("LINKWELL_STREAM_HEARTBEAT_SECONDS", 15)
LINKWELL_ENABLE_PASSWORD_GRANT = env_bool("LINKWELL_ENABLE_PASSWORD_GRANT", False)
LINKWELL_AVATAR_MAX_BYTES = env_int("LINKWELL_AVATAR_MAX_BYTES", 5 * 1024 * 1024)
LINKWELL_AVATAR_SIZE = env_int("LINKWELL_AVATAR_SIZE", 400)
LINKWELL_GRAPH_DIR = Path(env_str("LINKWELL_GRAPH_DIR", str(VAR_DIR / "graph")))

# --- OAuth 2 (django-oauth-toolkit) ----------------------------------------------------
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # migrations name it
OAUTH2_PROVIDER = {
    # Mastodon's scopes (read:accounts...) and grants; see oauth/ and docs/api.md.
    "SCOPES_BACKEND_CLASS": "oauth.scopes.MastodonScopes",
    "OAUTH2_VALIDATOR_CLASS": "oauth.validators.MastodonValidator",
    "SCOPES": {
        "read": _("Read your account and network"),
        "write": _("Change your account and network"),
        "follow": _("Follow, connect and block"),
        "push": _("Receive push notifications"),
        "profile": _("Read your profile only"),
    },
    "DEFAULT_SCOPES": ["read"],
    "PKCE_REQUIRED": False,  # Mastodon clients may omit PKCE; when sent it is verified.
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60 * 60 * 24 * 365 * 10,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https", "urn"],
}
# RFC 9700 (OAuth security BCP), as `check --deploy` asks: adopt what Mastodon clients never
# use; the rest are Mastodon-compatibility choices, silenced by name in SILENCED_SYSTEM_CHECKS.
OAUTH2_PROVIDER.update(
    {
        "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
        "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only, as Mastodon
    }
)
SILENCED_SYSTEM_CHECKS = [
    "oauth2_provider.W002",  # the password grant is gated per request by
    # LINKWELL_ENABLE_PASSWORD_GRANT (off by default) in api/oauth/views.py
    "oauth2_provider.W004",  # Mastodon clients may pass access_token in the query string
    "oauth2_provider.W005",  # Mastodon's authorization response carries no RFC 9207 `iss`
    "oauth2_provider.W006",  # token hashing at rest: not yet (DOT's hashed storage, later)
    "oauth2_provider.W007",  # Mastodon tokens don't expire; refresh tokens are rarely used
    "oauth2_provider.W008",  # native apps redirect to http://127.0.0.1 loopback (RFC 8252)
    "oauth2_provider.W010",  # Mastodon clients may omit PKCE; when sent it is verified
    "security.W021",  # HSTS preload is a one-way commitment: SECURE_HSTS_PRELOAD, operator's call
]

# --- Internationalisation and static files ---------------------------------------------
# Languages (docs/i18n.md): the member's choice, else the browser's Accept-Language, else the
# operator's LINKWELL_LANGUAGE. One catalogue for the whole project, in locale/ at the root.
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LANGUAGE_CODE = env_str("LINKWELL_LANGUAGE", "en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ValueError(
        f"LINKWELL_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}"
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # our date formats per language, over Django's
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads waiting to be imported and finished exports: never served as media; an export
# leaves only through its owner's download (docs/portability.md).
LINKWELL_PORTABILITY_DIR = Path(env_str("LINKWELL_PORTABILITY_DIR", str(VAR_DIR / "portability")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Production hardening (checked by `manage.py check --deploy`) ----------------------
if LINKWELL_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy on every answer (django-csp; docs/security.md): scripts and
# styles only from our own static files, no inline script, style attribute or eval; nothing
# may frame us. The OAuth consent page adds its client's redirect origin to form-action
# (api/oauth/views.py). Tested in Chromium: tests/web/test_csp.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Posts and the feed (issue 12; docs/feed.md) ------------------------------------------
LINKWELL_POST_MAX_CHARACTERS = env_int("LINKWELL_POST_MAX_CHARACTERS", 3000)  # P1
LINKWELL_POST_MAX_IMAGES = env_int("LINKWELL_POST_MAX_IMAGES", 4)  # P1
LINKWELL_POST_MAX_MENTIONS = env_int("LINKWELL_POST_MAX_MENTIONS", 50)
LINKWELL_MEDIA_MAX_BYTES = env_int("LINKWELL_MEDIA_MAX_BYTES", 10 * 1024 * 1024)
LINKWELL_MEDIA_MAX_SIDE = env_int("LINKWELL_MEDIA_MAX_SIDE", 1600)
# P3: authors with at least this many followers are merged into feeds at read time instead of
# being fanned out on write (measured: docs/architecture.md, "Home feed").
LINKWELL_FEED_FANOUT_MAX_FOLLOWERS = env_int("LINKWELL_FEED_FANOUT_MAX_FOLLOWERS", 10_000)
LINKWELL_FEED_PAGE = env_int("LINKWELL_FEED_PAGE", 20)
LINKWELL_FEED_TOP_CANDIDATES = env_int("LINKWELL_FEED_TOP_CANDIDATES", 200)
LINKWELL_FEED_TOP_HALF_LIFE_HOURS = env_int("LINKWELL_FEED_TOP_HALF_LIFE_HOURS", 24)
# P3: how long a read-time author's newest post ids stay in the cache (feed.sources): the key
# moves on with each post they publish, so this bounds memory and deleted posts' ids only
LINKWELL_FEED_SOURCES_SECONDS = env_int("LINKWELL_FEED_SOURCES_SECONDS", 300)
# P4: unique viewers are buffered in memory and flushed in one batch
LINKWELL_IMPRESSIONS_FLUSH_SECONDS = env_int("LINKWELL_IMPRESSIONS_FLUSH_SECONDS", 30)
LINKWELL_IMPRESSIONS_FLUSH_SIZE = env_int("LINKWELL_IMPRESSIONS_FLUSH_SIZE", 500)
