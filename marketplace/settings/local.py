"""`make run`: SQLite, local-memory cache, eager tasks; no other service needed.

DEBUG is off unless asked for (`DEBUG=1 make run`), so a new user who types a
wrong URL sees the site's Persian error pages, not Django's debug page. Static
files then come from WhiteNoise straight from the source folders (no
`collectstatic`), and uploads from MEDIA_ROOT.
"""

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, DATABASES, env, env_bool, logging_config

# Log lines for people to read (production writes JSON: marketplace.logs).
LOG_FORMAT = env("LOG_FORMAT", "console")
LOGGING = logging_config(json=LOG_FORMAT == "json", level=env("LOG_LEVEL", "WARNING"))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True
# The demo staff login may skip the TOTP second factor, so a new user can try the
# staff pages; a banner on every staff page says so. Never in production.
STAFF_OTP_DEMO_BYPASS = env_bool("STAFF_OTP_DEMO_BYPASS", True)
# The Content-Security-Policy is reported, not enforced, while developing: the
# browser console lists what would break before production blocks it.
CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
CONTENT_SECURITY_POLICY = None

# `make sandbox` sets SQLITE_FAST_SETUP=1 for migrate, seed_demo and the reindex
# only: no fsync and the rollback journal in memory. A crash then may leave a
# broken var/db.sqlite3, which is only the demo (delete it and run again); the
# server itself runs with SQLite's safe defaults.
SQLITE_FAST_SETUP = env_bool("SQLITE_FAST_SETUP", False)
if SQLITE_FAST_SETUP and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "init_command": (
            "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY; "
            "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536"
        ),
    }
