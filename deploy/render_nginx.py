"""Render deploy/nginx/digest.conf.template like the nginx image's envsubst step does, replacing
only ${NAME}s that are set in the environment (nginx's own $variables stay untouched).

Usage: python deploy/render_nginx.py deploy/nginx/digest.conf.template > digest.conf
"""

import os
import re
import sys

NAMES = ("DIGEST_UPSTREAM", "NGINX_PORT", "MEDIA_ROOT", "NGINX_CACHE_DIR", "SESSION_COOKIE_NAME")


def render(text, environ):
    def substitute(match):
        name = match.group(1)
        if name not in environ:
            raise SystemExit(f"render_nginx: {name} is not set")
        return environ[name]

    return re.sub(r"\$\{(" + "|".join(NAMES) + r")\}", substitute, text)


if __name__ == "__main__":
    with open(sys.argv[1]) as template:
        sys.stdout.write(render(template.read(), os.environ))
