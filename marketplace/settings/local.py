"""`make run`: SQLite, local-memory cache, eager tasks; no other service needed."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
