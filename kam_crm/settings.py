"""KAM CRM settings, read from the environment.

With no environment the app runs on SQLite with a filesystem Celery broker, so `make run`
needs no extra server. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and Redis.
"""

import os
import warnings
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KAM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment, or DEBUG=true for "
            "local development (make run does this)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "simple_history",
    "core",
    "team",
    "accounts",
    "deals",
    "activities",
    "receivables",
    "commissions",
    "health",
    "reports",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "team.middleware.UserTimeZoneMiddleware",
    "team.middleware.UserLanguageMiddleware",
    "team.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kam_crm.urls"
WSGI_APPLICATION = "kam_crm.wsgi.application"

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
                "deals.context_processors.approvals_waiting",
                "activities.context_processors.notifications",
            ],
            "libraries": {"listing": "core.listing"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'kam_crm.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Background jobs write from a second process; wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query planned above jit_above_cost; the aging's per-invoice
    # subqueries are planned costly but run in milliseconds, and compiling them took seconds
    # (aging 0.07 s without JIT, 2-5 s with it). Short OLTP queries gain nothing from JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c jit={os.environ.get('PG_JIT', 'off')}"
    )

FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default, taken now; the setting then goes
warnings.filterwarnings("ignore", message="The FORMS_URLFIELD_ASSUME_HTTPS transitional setting")
# Text limits are checked by the server, with a message, not cut by the browser (core/forms.py);
# Django's own widget templates drawn in Python, the same HTML (core/form_render.py).
FORM_RENDERER = "core.form_render.FastFormRenderer"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "team.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "team.backends.TeamModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy every request comes from the proxy's address: take the client's
# from the hop our proxy appended to X-Forwarded-For (team/proxies.py), never the left-most.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1")) if env_bool("BEHIND_TLS_PROXY", False) else 0
AXES_CLIENT_IP_CALLABLE = "team.proxies.client_ip"

LANGUAGE_CODE = "en"
# Each language is named in itself, so anyone can find theirs (team.User.language).
LANGUAGES = [("en", "English"), ("pl", "Polski")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats per language (kam_crm/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["kam_crm.formats"]
# The one currency of figures that add amounts in several (core.money.convert).
REPORTING_CURRENCY = os.environ.get("REPORTING_CURRENCY", "PLN")
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
USE_TZ = True
# The currency of new amounts (core.money). Not from the environment: field defaults
# are recorded in migrations.
DEFAULT_CURRENCY = "PLN"
# Four eyes: a director does not approve an offer (or below-rule order prices) they wrote
# themselves, unless this says they may.
DIRECTORS_MAY_APPROVE_OWN_OFFERS = env_bool("DIRECTORS_MAY_APPROVE_OWN_OFFERS", False)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Background jobs: Redis when configured, otherwise kombu's filesystem transport so a local
# worker and beat run with no extra server (see README, "Background jobs").
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Bounded, so /healthz answers 503 rather than hanging when Redis drops packets.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"socket_connect_timeout": 3, "socket_timeout": 5}
else:
    CELERY_BROKER_URL = "filesystem://"
    for folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Exchange bindings; kombu's default is ./control, i.e. wherever the process started.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Reports render PDFs, whose memory and time grow with their pages (WeasyPrint #1104, #1950):
# a report gets its own limits, and a worker process that has grown past the limit is replaced
# after its task. The Redis visibility timeout must outlast the longest report, or a report still
# rendering would be handed to a second worker (see reports/services.py, `_claim`).
REPORT_TIME_LIMIT = int(os.environ.get("REPORT_TIME_LIMIT", "600"))
REPORT_SOFT_TIME_LIMIT = max(REPORT_TIME_LIMIT - 30, REPORT_TIME_LIMIT * 9 // 10)
CELERY_TASK_ANNOTATIONS = {
    "reports.tasks.report_job_run": {
        "time_limit": REPORT_TIME_LIMIT,
        "soft_time_limit": REPORT_SOFT_TIME_LIMIT,
    }
}
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(
    os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD", "512000")  # KiB
)
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = int(
        os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(REPORT_TIME_LIMIT + 60))
    )
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Times are UTC. Reminder rules work in each user's own time zone, so an hourly run reminds
# everyone soon after their local midnight; the digest goes out at 06:00 UTC (07:00/08:00 in
# Warsaw). Both are idempotent (see activities/tasks.py), so a missed or doubled beat is harmless.
CELERY_BEAT_SCHEDULE: dict = {
    "reminders-hourly": {
        "task": "activities.tasks.reminders_run",
        "schedule": crontab(minute=5),
    },
    "reminder-digest-daily": {
        "task": "activities.tasks.digest_send",
        "schedule": crontab(hour=6, minute=0),
    },
    "dunning-nightly": {
        "task": "receivables.tasks.dunning_run",
        "schedule": crontab(hour=1, minute=30),
    },
    "abc-nightly": {
        "task": "commissions.tasks.abc_run",
        "schedule": crontab(hour=2, minute=15),
    },
    # After the dunning run and the ABC classification, so the score reads the night's overdue
    # figures and tiers. Idempotent: it rewrites the month's row of each account.
    "health-nightly": {
        "task": "health.tasks.health_scores_compute",
        "schedule": crontab(hour=2, minute=45),
    },
    # Weekly subscriptions go out on Mondays, monthly ones on the 1st (reports/services.py).
    "report-subscriptions-daily": {
        "task": "reports.tasks.report_subscriptions_run",
        "schedule": crontab(hour=5, minute=0),
    },
}
# Pareto / ABC (commissions): A = the accounts making the first 80 % of the trailing 12 months'
# net revenue, B the next 15 %, C the rest; >= 10 % alone = key client; the directors are
# alerted when the top account passes 25 %.
ABC_A_SHARE = int(os.environ.get("ABC_A_SHARE", "80"))
ABC_B_SHARE = int(os.environ.get("ABC_B_SHARE", "15"))
ABC_KEY_SHARE = int(os.environ.get("ABC_KEY_SHARE", "10"))
ABC_TOP_ALERT_SHARE = int(os.environ.get("ABC_TOP_ALERT_SHARE", "25"))

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "KAM CRM <crm@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails and the calendar feed point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The letterhead of PDF documents (offers, briefs, statements); COMPANY_ADDRESS lines split on "\n".
COMPANY_NAME = os.environ.get("COMPANY_NAME", "KAM CRM Sp. z o.o.")
COMPANY_ADDRESS = os.environ.get("COMPANY_ADDRESS", "ul. Przykładowa 1\n00-001 Warszawa\nPolska")
COMPANY_TAX_ID = os.environ.get("COMPANY_TAX_ID", "")
COMPANY_CONTACT = os.environ.get("COMPANY_CONTACT", "")

# Receivables (README, "Receivables"): payment terms when neither the contract nor the account
# says; the upper edges (days past due) of the aging buckets, the last bucket open-ended; the
# credit check blocks an account with any invoice more than this many days overdue.
RECEIVABLES_DEFAULT_TERMS_DAYS = 30
RECEIVABLES_AGING_EDGES = [30, 60, 90, 120]

# Key-account health (health/): how much each component counts in the 0-100 score (any
# positive numbers; they are divided by their sum), and the fall that notifies the owner.
HEALTH_WEIGHTS = {
    "revenue_trend": 25,
    "share_of_wallet": 10,
    "relationship": 25,
    "payment": 20,
    "service": 10,
    "pipeline": 10,
}
HEALTH_DROP_ALERT = 15
RECEIVABLES_CREDIT_BLOCK_OVERDUE_DAYS = 30

REST_FRAMEWORK = {
    # Token first: DRF answers an anonymous request with the first class's challenge,
    # so API clients get 401 + WWW-Authenticate rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # Per signed-in user (token or session) and per address for anonymous calls; over the
    # rate the API answers 429 with Retry-After. Counted in the cache (Redis in production).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1000/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "core.pagination.DeepPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KAM CRM API",
    "DESCRIPTION": (
        "Key account management: accounts, dossiers, contacts and influence maps; products, "
        "deals, offers with discount approval, contracts, orders, returns and complaints."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Choice sets whose field names clash across models get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "DealStageEnum": "deals.models.DealStage",
        "ObligationKindEnum": "deals.models.ObligationKind",
        "CreditNoteReasonEnum": "receivables.models.CreditNoteReason",
    },
}

# Strict CSP: every script and style comes from our own static files.
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

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx gets the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_without_traceback": {"()": "core.logs.ForbiddenWithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["forbidden_without_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default sends "django" to a console handler of its own and on to the
        # root: every line ("Watching for file changes") printed twice. One handler, ours.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each rendering step at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
