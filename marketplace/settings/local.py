"""`make run`: SQLite, local-memory cache, eager tasks; no other service needed.

DEBUG is off unless asked for (`DEBUG=1 make run`), so a new user who types a
wrong URL sees the site's Persian error pages, not Django's debug page. Static
files then come from WhiteNoise straight from the source folders (no
`collectstatic`), and uploads from MEDIA_ROOT.
"""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True
