#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    # A checkout runs every command as written, no variables needed; production sets
    # DJANGO_SETTINGS_MODULE=digest.settings.production (Dockerfile, deploy/start-web.sh).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings.development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
