"""Settings for Schouder, read from the environment.

Development (``make run``) needs nothing: SQLite, a broker on the file system and mail on the
console. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and the EMAIL_* variables.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or DEBUG=1 for development."
        )
    SECRET_KEY = "schouder-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# Reverse proxies in front (0: none). Only then are X-Forwarded-For and -Proto believed.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "csp",
    "schools",
    "parents",
    "conversations",
    "messaging",
    "absence",
    "care",
    "reminders",
    "partnership",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "parents.middleware.ProfileLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "schools.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "schools.middleware.RequireBoardMFAMiddleware",
    "schools.middleware.StaffIdleTimeoutMiddleware",
]

# N+1 queries (one more query for each row of a list): during development each request is
# watched and a warning names the line; the tests raise instead (tests/conftest.py). Production
# leaves the package out, because it wraps every queryset.
if DEBUG:
    INSTALLED_APPS.append("zeal")
    MIDDLEWARE.insert(0, "zeal.middleware.zeal_middleware")
    ZEAL_RAISE = False
    ZEAL_ALLOWLIST = [
        # The school year is looked up by its label (SchoolYear.for_date), and every caller counts
        # at that one line: a page and the service it calls, each needing the year, look like a
        # loop. The lookup is one indexed row; pages pass the year on where they have it.
        {"model": "schools.SchoolYear", "field": "get()"},
        # A text read for the first time in a language is asked of the translation service,
        # one call per text whatever the queries; its row is locked on its own so that two
        # readers pay for one call. Texts already stored are read in one query per page.
        {"model": "messaging.Translation", "field": "get()"},
        # Logging in with a code, the login library reads the account's primary e-mail address
        # at more than one of its own steps: one row each time, inside the library.
        {"model": "account.EmailAddress", "field": "get()"},
    ]

ROOT_URLCONF = "partnership.urls"
WSGI_APPLICATION = "partnership.wsgi.application"
ASGI_APPLICATION = "partnership.asgi.application"

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "schools.context_processors.navigation",
            ],
            # Tags of a package that is not an app of its own: {% load dashboards %}.
            "libraries": {"dashboards": "partnership.dashboards.templatetags"},
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
# A connection kept between requests is checked before use: after a database restart the first
# request gets a fresh connection instead of an error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for a lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query it estimates as big; for the dashboard's grouped counts
    # that compile time was more than the query itself (school dashboard 68 ms with it, 38 ms
    # without, on the demo). Kept beside any PGOPTIONS of the environment (CI's timeout).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(
        filter(None, (os.environ.get("PGOPTIONS", ""), "-c jit=off"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker and Celery -----------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", "schouder")
if REDIS_URL:
    # The cache (rate limits, TOTP replay protection) lives in its own Redis database, apart from
    # the broker: the broker must never have its keys evicted, a cache may.
    CACHES = {
        "default": {
            "BACKEND": "partnership.cache.RedisCache",  # Django's, one client per pool
            "LOCATION": env("CACHE_URL", REDIS_URL.rstrip("/").rsplit("/", 1)[0] + "/1"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # One machine, no servers: a cache on disk is shared by web, worker and beat processes, so
    # allauth's login limits hold across them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)

CELERY_TASK_IGNORE_RESULT = True  # results would be an unmanaged copy of personal data
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"  # beat runs on fixed intervals; local times are computed in our code
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The tick has a queue of its own, so a backlog of send tasks never holds it up. A worker started
# without -Q consumes both queues; a large site gives the tick a worker of its own
# (`celery -A partnership worker -Q reminders-tick -c 1`).
REMINDERS_TICK_QUEUE = "reminders-tick"
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue(REMINDERS_TICK_QUEUE))
CELERY_TASK_ROUTES = {"reminders.tasks.tick": {"queue": REMINDERS_TICK_QUEUE}}
REMINDERS_TICK_SECONDS = env_int("REMINDERS_TICK_SECONDS", 60)  # how often beat ticks
# One fixed-interval tick in UTC; reminder times live in the outbox, computed in local time there.
CELERY_BEAT_SCHEDULE = {
    "reminders-tick": {
        "task": "reminders.tasks.tick",
        "schedule": float(REMINDERS_TICK_SECONDS),
        # A tick that waited a whole interval is replaced by the next one; an older one is no use.
        "options": {"expires": REMINDERS_TICK_SECONDS},
    },
    # Retention: anonymise pupils who left longer ago than the term (idempotent, so daily is safe).
    "anonymise-left-pupils": {
        "task": "partnership.tasks.anonymise_left_pupils",
        "schedule": 24 * 60 * 60,
    },
    # Contact moments turn due at midnight: recount the board dashboards' kept figures before
    # the first director of the day opens one.
    "recount-dashboard-figures": {
        "task": "partnership.tasks.recount_dashboard_figures",
        "schedule": crontab(hour=4, minute=15),  # UTC: a quarter past five or six in Amsterdam
    },
}

# --- Reminders (reminders/dispatch.py) ----------------------------------------------------------
REMINDERS_BATCH_SIZE = env_int("REMINDERS_BATCH_SIZE", 500)  # rows per send task
REMINDERS_MAX_BATCHES_PER_TICK = env_int("REMINDERS_MAX_BATCHES_PER_TICK", 20)
REMINDERS_MAX_ATTEMPTS = env_int("REMINDERS_MAX_ATTEMPTS", 8)
REMINDERS_RETRY_BASE = env_int("REMINDERS_RETRY_BASE", 60)  # seconds, doubling per try
REMINDERS_RETRY_MAX = env_int("REMINDERS_RETRY_MAX", 3600)
REMINDERS_STALE_AFTER = env_int("REMINDERS_STALE_AFTER", 300)  # lease of a claim, renewed
REMINDERS_FLUSH_EVERY = env_int("REMINDERS_FLUSH_EVERY", 25)  # messages between result writes
# Two passes of the tick never overlap: a pass holds this lock (in the cache) at most this long.
REMINDERS_TICK_LOCK = env_int("REMINDERS_TICK_LOCK", 600)

# --- Authentication ---------------------------------------------------------------------------
# Django's and allauth's backends, loading the user and the memberships in one query; sessions
# read from the cache first (the database stays the record). A logged-in request costs one query
# before its view.
AUTHENTICATION_BACKENDS = [
    "schools.auth_backends.ModelBackend",
    "schools.auth_backends.AuthenticationBackend",
]
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Guardians: a code by e-mail or text message, their account made when they first ask for one;
# staff: e-mail and password (parents/login.py).
ACCOUNT_FORMS = {
    "login": "parents.login.StaffLoginForm",
    "request_login_code": "parents.login.GuardianRequestLoginCodeForm",
}
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "parents.login.PortalAccountAdapter"
ACCOUNT_SESSION_REMEMBER = None
# A school's network puts forty parents behind one address at a parents' evening: the limits per
# address are wide, the limits per account (key) stay strict.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "100/m/ip,5/300s/key",
    "request_login_code": "100/m/ip,3/m/key",
    "reset_password": "60/m/ip,5/m/key",
    "signup": "0/m/ip",
}
# The client address (login limits) comes from X-Forwarded-For only behind a proxy, likewise.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Schouder"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
STAFF_IDLE_TIMEOUT = env_int("STAFF_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security (production) --------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy (TRUSTED_PROXY_COUNT >= 1) the proxy says which scheme the
# browser used; without one, anybody could send that header, so it is not read at all.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer asks the health check over plain HTTP, straight at the application server.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'nonce'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_SSL_CERTFILE = env("EMAIL_SSL_CERTFILE")
EMAIL_SSL_KEYFILE = env("EMAIL_SSL_KEYFILE")
EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", "[Schouder] ")
EMAIL_USE_LOCALTIME = env_bool("EMAIL_USE_LOCALTIME", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Schouder <noreply@schouder.local>")
# Text messages for short reminders: the console in development, a gateway adapter in production.
SMS_BACKEND = env("SMS_BACKEND", "reminders.channels.ConsoleSmsBackend")
SMS_PRODUCT_TOKEN = env("SMS_PRODUCT_TOKEN", "")
SMS_SENDER = env("SMS_SENDER", "Schouder")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Translation of what staff write ------------------------------------------------------------
# Off by default. The school chooses, for privacy: "deepl" (DeepL's API) or "libretranslate"
# (a LibreTranslate server of the school or its board). See messaging/translation.py.
TRANSLATION_BACKEND = env("TRANSLATION_BACKEND", "").strip().lower()
if TRANSLATION_BACKEND not in ("", "deepl", "libretranslate"):
    raise ImproperlyConfigured('TRANSLATION_BACKEND is "", "deepl" or "libretranslate".')
TRANSLATION_TIMEOUT = env_int("TRANSLATION_TIMEOUT", 4)  # seconds; then the original is shown
TRANSLATION_PAUSE_AFTER_FAILURE = env_int("TRANSLATION_PAUSE_AFTER_FAILURE", 60)  # seconds
DEEPL_API_URL = env("DEEPL_API_URL", "https://api.deepl.com")  # free plan: api-free.deepl.com
DEEPL_AUTH_KEY = env("DEEPL_AUTH_KEY", "")
LIBRETRANSLATE_URL = env("LIBRETRANSLATE_URL", "http://127.0.0.1:5000")
LIBRETRANSLATE_API_KEY = env("LIBRETRANSLATE_API_KEY", "")

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
# Parents read Schouder in their own language; staff pages are in Dutch or English.
STAFF_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
PARENT_LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
    ("bg", "Български"),
    ("uk", "Українська"),
]
LANGUAGES = PARENT_LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language a guardian chose stays on their phone between sessions.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# --- Uploaded files and backups ---------------------------------------------------------------
# Uploads (photos) live in the default storage, never in the database; `manage.py backup` puts
# them beside the database dump in one archive under BACKUP_DIR (keep copies elsewhere too).
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
# In production with several web servers: S3-compatible object storage. Files stay private (no
# public address): pages read them through the storage API after checking who asks.
if env("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MEDIA_S3_BUCKET"),
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env("MEDIA_S3_REGION") or None,
            "access_key": env("MEDIA_S3_ACCESS_KEY_ID"),
            "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
BACKUP_DIR = Path(env("BACKUP_DIR", VAR_DIR / "backups"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

MESSAGE_TAGS = {40: "danger"}
SCHOUDER_NAME = _("Schouder")

# --- Privacy and import ---------------------------------------------------------------------------
# The sector's guidance keeps a pupil file two years after the pupil left; then it is anonymised.
RETENTION_YEARS_AFTER_LEAVING = env_int("RETENTION_YEARS_AFTER_LEAVING", 2)
# The audit log (who looked at which child) is kept this long, then removed nightly.
AUDIT_RETENTION_YEARS = env_int("AUDIT_RETENTION_YEARS", 5)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = 50_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES
