"""Settings for zhengcai, read from the environment.

Two profiles: ``development`` (the embedded default: SQLite file, local files, console
email and SMS, demo mode) and ``production`` (DEBUG off, secure cookies, HSTS, CSP; the
secret key and allowed hosts must come from the environment). Every knob is an
environment variable so the same image runs everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root
VAR_DIR = Path(os.environ.get("ZHENGCAI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PROFILE = os.environ.get("ZHENGCAI_PROFILE", "development")
if PROFILE not in {"development", "production"}:
    raise RuntimeError(f"ZHENGCAI_PROFILE must be development or production, not {PROFILE!r}")
PRODUCTION = PROFILE == "production"

if PRODUCTION:
    SECRET_KEY = os.environ["ZHENGCAI_SECRET_KEY"]
    ALLOWED_HOSTS = env_list("ZHENGCAI_ALLOWED_HOSTS", "")
else:
    SECRET_KEY = os.environ.get("ZHENGCAI_SECRET_KEY", "development-only-insecure-key-zhengcai-3c9f1e7a5b2d4c6e8f0a")
    ALLOWED_HOSTS = env_list("ZHENGCAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")

DEBUG = env_bool("ZHENGCAI_DEBUG", default=not PRODUCTION)
# Demo mode shows the demo logins on the login page; never on in production.
DEMO_MODE = env_bool("ZHENGCAI_DEMO_MODE", default=not PRODUCTION) and not PRODUCTION
# Where the login page finds the demo logins in demo mode (web sits above accounts, so by name).
DEMO_USERS_PROVIDER = "zhengcai.web.demo.demo_users_for_login"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "zhengcai.core",
    "zhengcai.audit",
    "zhengcai.rules",
    "zhengcai.accounts",
    "zhengcai.notify",
    "zhengcai.catalogue",
    "zhengcai.budgets",
    "zhengcai.plans",
    "zhengcai.suppliers",
    "zhengcai.listings",
    "zhengcai.shop",
    "zhengcai.orders",
    "zhengcai.sourcing",
    "zhengcai.api",
    "zhengcai.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhengcai.web.middleware.PlatformLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "zhengcai.accounts.middleware.ActorMiddleware",
    "zhengcai.accounts.middleware.TotpRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhengcai.web.middleware.DomainErrorMiddleware",
    "zhengcai.web.middleware.HtmlEdgeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhengcai.urls"
WSGI_APPLICATION = "zhengcai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhengcai.web.context_processors.shell",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://... or sqlite:///path); the embedded default is a
# SQLite file under var/. Writes on SQLite take the lock at BEGIN (IMMEDIATE) so two
# writers queue instead of failing half-way through a transaction.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhengcai.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if test_db_name := os.environ.get("ZHENGCAI_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": test_db_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A failed CSRF check gets the translated shell page, not Django's English debug page.
CSRF_FAILURE_VIEW = "zhengcai.web.views.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes): five failures lock the account for 15
# minutes; the lock is per username so an attacker cannot lock a whole office out by IP.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHENGCAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("ZHENGCAI_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# The lockout is shown on our login page with a translated message (and audited).
AXES_LOCKOUT_CALLABLE = "zhengcai.accounts.views.lockout_response"

AXES_VERBOSE = False
# Lockout is per account on purpose: a whole office behind one NAT address must not be
# locked out by one colleague mistyping, and rotating addresses does not help an attacker
# against a per-account counter.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# TOTP issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "zhengcai"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS: list[Path] = []
# Pages are Chinese unless the person switches (web.middleware.PlatformLocaleMiddleware);
# only these paths follow the caller's Accept-Language header.
ACCEPT_LANGUAGE_PATH_PREFIXES = ["/api/"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"

# Background work: Django's tasks API (django-tasks backport) on the database backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ZHENGCAI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Idempotent sweepers the worker calls every ZHENGCAI_SWEEP_SECONDS; each derives what is
# due from the clock, so nothing depends on a job having run on time.
SWEEPERS = [
    "zhengcai.notify.tasks.outbox_sweep",
    "zhengcai.audit.tasks.anchor_sweep",
    "zhengcai.suppliers.tasks.qualification_sweep",
    "zhengcai.shop.indexer.search_index_sweep",
    "zhengcai.orders.tasks.order_confirm_sweep",
    "zhengcai.sourcing.tasks.sourcing_sweep",
]
SWEEP_SECONDS = float(os.environ.get("ZHENGCAI_SWEEP_SECONDS", "5"))
# The e-mall's search index (tantivy); only the worker and ``manage.py search_rebuild`` write it.
SEARCH_INDEX_DIR = Path(os.environ.get("ZHENGCAI_SEARCH_INDEX_DIR", VAR_DIR / "search"))

# Email: console in development, SMTP settings from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "ZHENGCAI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("ZHENGCAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ZHENGCAI_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("ZHENGCAI_FROM_EMAIL", "zhengcai <noreply@zhengcai.local>")
# SMS gateway behind an interface; the console gateway prints instead of sending.
SMS_GATEWAY = os.environ.get("ZHENGCAI_SMS_GATEWAY", "zhengcai.notify.channels.ConsoleSmsGateway")
# Outbox delivery: attempts before a message is marked failed (retries back off 30 s, 1 min,
# 2 min ... capped at 6 h), and the public base URL put in front of links in email and SMS.
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("ZHENGCAI_NOTIFY_MAX_ATTEMPTS", "8"))
PUBLIC_BASE_URL = os.environ.get("ZHENGCAI_PUBLIC_BASE_URL", "")

# Security. CSRF stays on for every session-authenticated request, htmx included (the
# token travels in the X-CSRFToken header set on <body hx-headers>).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("ZHENGCAI_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHENGCAI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("ZHENGCAI_CSRF_TRUSTED_ORIGINS", "")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if redis_url := os.environ.get("ZHENGCAI_REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHENGCAI_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Human label for the platform, shown in the header.
PLATFORM_NAME = _("Government Procurement Cloud")
