"""Kefu settings.

Everything that differs between installations comes from the environment (``KEFU_*``, ``DATABASE_URL``,
``REDIS_URL``), optionally through a ``.env`` file in the working directory. The defaults are the
embedded mode: SQLite and a file-system Celery broker under ``KEFU_DATA_DIR``, so a fresh checkout runs
with no servers at all. Per-organisation policy (statuses, SLAs, rules, hours) lives in the database.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

from kefu.paths import data_dir

BASE_DIR = Path(__file__).resolve().parent
load_dotenv(Path.cwd() / ".env")

DEFAULT_SECRET_KEY = "kefu-insecure-embedded-default-change-me"


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from exc


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("KEFU_DEBUG", False)
PRODUCTION = env_bool("KEFU_PRODUCTION", False)
SECRET_KEY = env_str("KEFU_SECRET_KEY", DEFAULT_SECRET_KEY)
if PRODUCTION and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured("KEFU_PRODUCTION is on: set KEFU_SECRET_KEY to a long random value.")

PORT = env_int("KEFU_PORT", 8000)
ALLOWED_HOSTS = env_list("KEFU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("KEFU_CSRF_TRUSTED_ORIGINS", [])
# The address people reach this installation at; links in emails (a ticket in the help center) start with it.
KEFU_SITE_URL = env_str("KEFU_SITE_URL", f"http://localhost:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "kefu.core",
    "kefu.org",
    "kefu.customfields",
    "kefu.contacts",
    "kefu.tickets",
    "kefu.search",
    "kefu.kb",
    "kefu.portal",
    "kefu.channels.email",
    "kefu.modules",
    "kefu.transfer",
    "kefu.automation",
    "kefu.timetracking",
    "kefu.tasks",
    "kefu.sla",
    "kefu.notifications",
    "kefu.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kefu.org.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "kefu.urls"
WSGI_APPLICATION = "kefu.wsgi.application"
ASGI_APPLICATION = "kefu.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

SQLITE_PATH = DATA_DIR / "kefu.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=env_int("KEFU_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DATABASES["default"]["NAME"] == ":memory:" else 600
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
        ),
    }
    # Tests use a real file (with WAL, like production) rather than shared-cache memory, whose table
    # locks ignore busy_timeout; the process id keeps concurrent test runs apart.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("KEFU_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("KEFU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the app folders when collectstatic has not run (a plain `kefu run` on a laptop).
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "attachments"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KEFU_MAX_ATTACHMENT_BYTES = env_int("KEFU_MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Email intake: the largest raw message stored, and the shared secret of the HTTP endpoint for raw mail
# (POST /api/v1/mail/inbound; a mailbox's own secret, when set, takes precedence). Empty: endpoint off.
KEFU_MAIL_MAX_MESSAGE_BYTES = env_int("KEFU_MAIL_MAX_MESSAGE_BYTES", 50 * 1024 * 1024)
KEFU_MAIL_INBOUND_SECRET = env_str("KEFU_MAIL_INBOUND_SECRET", "")
# Per-sender rate limit of email intake: more messages than this from one sender within the window are
# quarantined (it breaks loops with auto-responders that say nothing about being one).
KEFU_MAIL_RATE_LIMIT_COUNT = env_int("KEFU_MAIL_RATE_LIMIT_COUNT", 20)
KEFU_MAIL_RATE_LIMIT_MINUTES = env_int("KEFU_MAIL_RATE_LIMIT_MINUTES", 10)

REDIS_URL = env_str("REDIS_URL", "")
BROKER_DIR = DATA_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # kombu's file-system transport made safe for frequent polling (kefu/broker.py; kefu/celery.py
    # registers the name): same folders and file names as kombu's own ``filesystem://``.
    CELERY_BROKER_URL = "kefu-filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The worker looks for jobs 20 times a second (kombu's default is once), an empty folder
        # listing each time: ~0.5 % of one core when idle, a job picked up within ~50 ms.
        "polling_interval": float(env_str("KEFU_BROKER_POLLING_INTERVAL", "0.05")),
    }
    CELERY_RESULT_BACKEND = None
    # Every process that publishes (web, CLI, worker) needs the folders, not only `kefu run`.
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_URL = env_str("KEFU_CELERY_BROKER_URL", CELERY_BROKER_URL)
EMBEDDED_BROKER = CELERY_BROKER_URL.partition("://")[0] in ("kefu-filesystem", "filesystem")
CELERY_TASK_ALWAYS_EAGER = env_bool("KEFU_TASKS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A polling transport waits one polling interval whenever the prefetch window is full, so the embedded
# broker prefetches 16 jobs per pool process (with 2 processes: up to 640 jobs/s before the pool is
# the limit). A warm shutdown puts unacknowledged jobs back; a killed worker loses what it had
# prefetched, which the outbox's re-delivery covers. Redis pushes jobs as they come: one at a time.
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int("KEFU_WORKER_PREFETCH_MULTIPLIER", 16 if EMBEDDED_BROKER else 1)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # SQLite gathers no planner statistics by itself (PostgreSQL's autovacuum does): once a day.
    "core-optimize-database": {"task": "core.optimize_database", "schedule": 24 * 3600.0},
    # Domain events whose relay was lost with a crash or a broker outage, or that a consumer failed on.
    "core-relay-outbox": {"task": "core.relay_outbox_left_behind", "schedule": 10.0},
    "core-purge-outbox": {"task": "core.purge_outbox", "schedule": 24 * 3600.0},
    # Mail an MTA handed to `kefu mail ingest --spool`; an empty spool costs one folder listing.
    "mail-import-spool": {"task": "mail.import_spool", "schedule": 1.0},
    # Stored mail that a crash left unprocessed becomes its ticket or thread within minutes.
    "mail-process-pending": {"task": "mail.process_pending", "schedule": 120.0},
    # Each IMAP/POP3 mailbox is polled when its own interval has passed; this is only how often we look.
    "mail-poll-due": {"task": "mail.poll_due", "schedule": 20.0},
    # Replies whose sending task was lost (broker down when queued, worker died) are queued again.
    "mail-outbound-requeue": {"task": "mail.outbound_requeue", "schedule": 120.0},
    # Notification emails and SMS whose sending task was lost, or that wait for another attempt.
    "notifications-requeue": {"task": "notifications.requeue", "schedule": 60.0},
    # Time rules (supervisor rules): each enabled rule over the tickets its conditions select.
    "automation-time-rules": {"task": "automation.sweep_time_rules", "schedule": 300.0},
    # Webhook attempts whose time has come (retries, and first attempts whose task was lost); notices to
    # administrators about webhooks turned off for failing a day.
    "webhooks-send-due": {"task": "webhooks.send_due", "schedule": 15.0},
    # SLA breaches and escalation levels whose time has come (an indexed query; each timer claimed once).
    "sla-escalations": {"task": "sla.sweep_escalations", "schedule": 60.0},
    # Scheduled replies whose time has come (each claimed, so two beats or workers never send one twice).
    "tickets-scheduled-replies": {"task": "tickets.send_scheduled_replies", "schedule": 30.0},
    # Tickets 30 days in the trash are deleted for good (a batch per run; the rest on the next run).
    "tickets-purge-trash": {"task": "tickets.purge_trash", "schedule": 3600.0},
}

KEFU_JIEBA_CACHE = DATA_DIR / "jieba.cache"

# Outgoing mail: the global SMTP server (a mailbox may name its own). KEFU_SMTP_SECURITY: none, starttls, ssl.
EMAIL_BACKEND = env_str("KEFU_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("KEFU_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("KEFU_SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("KEFU_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("KEFU_SMTP_PASSWORD", "")
KEFU_SMTP_SECURITY = env_str("KEFU_SMTP_SECURITY", "none").lower()
if KEFU_SMTP_SECURITY not in {"none", "starttls", "ssl"}:
    raise ImproperlyConfigured(
        f"KEFU_SMTP_SECURITY must be none, starttls or ssl, got {KEFU_SMTP_SECURITY!r}"
    )
EMAIL_USE_TLS = KEFU_SMTP_SECURITY == "starttls"
EMAIL_USE_SSL = KEFU_SMTP_SECURITY == "ssl"
EMAIL_TIMEOUT = env_int("KEFU_SMTP_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("KEFU_DEFAULT_FROM_EMAIL", "kefu@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The domain of the Message-IDs we create (empty: the sending mailbox's domain).
KEFU_MAIL_DOMAIN = env_str("KEFU_MAIL_DOMAIN", "")
# The SMTP listener (`kefu mail smtpd`) refuses bigger messages with 552.
KEFU_SMTPD_MAX_BYTES = env_int("KEFU_SMTPD_MAX_BYTES", 40 * 1024 * 1024)

# SMS (docs/sms.md): KEFU_SMS_BACKEND is file (development), http, aliyun or tencent.
KEFU_SMS_BACKEND = env_str("KEFU_SMS_BACKEND", "file").lower()
KEFU_SMS_TIMEOUT = env_int("KEFU_SMS_TIMEOUT", 10)
# Alibaba Cloud / Tencent Cloud send approved templates only: the one used for plain-text messages.
KEFU_SMS_DEFAULT_TEMPLATE_CODE = env_str("KEFU_SMS_DEFAULT_TEMPLATE_CODE", "")
KEFU_SMS_FILE_PATH = DATA_DIR / "sms" / "outbox.jsonl"
KEFU_SMS_HTTP_URL = env_str("KEFU_SMS_HTTP_URL", "")
KEFU_SMS_HTTP_TOKEN = env_str("KEFU_SMS_HTTP_TOKEN", "")
KEFU_SMS_ALIYUN_ACCESS_KEY_ID = env_str("KEFU_SMS_ALIYUN_ACCESS_KEY_ID", "")
KEFU_SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("KEFU_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
KEFU_SMS_ALIYUN_SIGN_NAME = env_str("KEFU_SMS_ALIYUN_SIGN_NAME", "")
KEFU_SMS_ALIYUN_ENDPOINT = env_str("KEFU_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
KEFU_SMS_ALIYUN_REGION = env_str("KEFU_SMS_ALIYUN_REGION", "cn-hangzhou")
KEFU_SMS_TENCENT_SECRET_ID = env_str("KEFU_SMS_TENCENT_SECRET_ID", "")
KEFU_SMS_TENCENT_SECRET_KEY = env_str("KEFU_SMS_TENCENT_SECRET_KEY", "")
KEFU_SMS_TENCENT_SDK_APP_ID = env_str("KEFU_SMS_TENCENT_SDK_APP_ID", "")
KEFU_SMS_TENCENT_SIGN_NAME = env_str("KEFU_SMS_TENCENT_SIGN_NAME", "")
KEFU_SMS_TENCENT_ENDPOINT = env_str("KEFU_SMS_TENCENT_ENDPOINT", "https://sms.tencentcloudapi.com/")
KEFU_SMS_TENCENT_REGION = env_str("KEFU_SMS_TENCENT_REGION", "ap-guangzhou")

# Outgoing webhooks (docs/webhooks.md): targets in private, loopback or link-local ranges are refused
# unless inside one of these comma-separated networks (e.g. 127.0.0.0/8 for a receiver on this machine).
KEFU_WEBHOOK_ALLOWED_NETWORKS = env_list("KEFU_WEBHOOK_ALLOWED_NETWORKS", [])
KEFU_WEBHOOK_TIMEOUT = env_int("KEFU_WEBHOOK_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("KEFU_LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
