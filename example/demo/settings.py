"""Settings of the demo project: the app mounted at /modules/calendly/, the admin at /admin/.

SQLite at ``.demo/db.sqlite3`` by default (the database ``scripts/demo.sh`` serves, so
``python example/manage.py ...`` from a second shell sees the same data);
``DEMO_SQLITE_PATH`` or ``DATABASE_URL`` (e.g. postgres://postgres@127.0.0.1:5432/test)
switch it. Calendly settings come from the environment (see the README's table);
``manage.py`` reads the demo's ``.demo/env`` for the ones not set.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_DIR = BASE_DIR.parent / ".demo"  # written by scripts/demo.sh

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "demo-only-insecure-secret-key")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_calendly",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "demo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "demo" / "templates"],  # the demo's pages (pages.py)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

WSGI_APPLICATION = "demo.wsgi.application"

if os.environ.get("DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DEMO_SQLITE_PATH", str(DEMO_DIR / "db.sqlite3")),
            "CONN_MAX_AGE": 60,  # one connection per worker thread, not one per request
        }
    }

AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "demo" / "static"]  # the demo pages' CSS and JavaScript
LOGIN_URL = "/login/"  # the demo's own login page (pages.py): any user, not only staff
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # `Authorization: Token ...`: one indexed query per request. Basic stays for
        # quick tries but runs the password hasher (PBKDF2, ~0.3 s) on every request.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# No SPECTACULAR_SETTINGS needed: the app's schema has its own title and version, and its
# Swagger UI serves drf-spectacular-sidecar's assets (installed above) instead of a CDN.

# Background work: run at once in-process by default; set DEMO_TASKS_BACKEND=db to use
# django-tasks-db and run `python example/manage.py db_worker`.
if os.environ.get("DEMO_TASKS_BACKEND") == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django_calendly": {"handlers": ["console"], "level": "INFO"}},
}
