"""A local checkout: `make run` and every `manage.py` command without any variable set.

DEBUG is on unless the environment says ``DEBUG=0`` (the benchmarks do, to measure what
production runs), mail goes to the console, and the secret key lives in the git-ignored
``.secret_key`` file, made on first use, so sign-ins survive a restart.
"""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, SECRET_KEY  # noqa: E402
from .env import local_secret_key  # noqa: E402

SECRET_KEY = SECRET_KEY or local_secret_key(BASE_DIR / ".secret_key")
