"""The trivial Django project `make bench` measures the machine with.

One view renders one small template through Django's template engine (cached
loader, as with DEBUG off), with no database, no session, no middleware and no
context processor: the most a Django process on this machine can serve with the
same gunicorn flags as the site. Every page's req/s is reported as a ratio to it.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = "bench-trivial-view-not-a-secret-" + "x" * 40  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.trivial.urls"
WSGI_APPLICATION = "bench.trivial.wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"context_processors": []},
    }
]
LOGGING_CONFIG = None
