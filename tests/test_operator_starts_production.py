"""The operator starts Digest in production: every production entry point (WSGI, gunicorn,
the container's start script, the Docker image) picks the production settings by itself, and
without a secret key (or with DEBUG on) it refuses to start, saying why."""

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
REFUSAL = "SECRET_KEY must be set in production"


def bare_env(**extra):
    """No Django or Digest variable at all: only what finds the programs, plus *extra*."""
    return {"PATH": f"{VENV_BIN}:/usr/bin:/bin", "HOME": str(Path.home()), **extra}


def run(argv, **extra):
    return subprocess.run(  # noqa: S603
        argv, cwd=ROOT, env=bare_env(**extra), capture_output=True, text=True, timeout=120
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_production_settings_without_a_secret_key_refuse_to_load():
    result = run([sys.executable, "-c", "import digest.settings.production"])

    assert result.returncode != 0
    assert REFUSAL in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # and how to make one


def test_the_wsgi_entry_point_uses_production_settings_and_refuses_without_a_secret_key():
    result = run([sys.executable, "-c", "import digest.wsgi"])

    assert result.returncode != 0
    assert REFUSAL in result.stderr


def test_the_wsgi_entry_point_starts_with_a_secret_key_and_debug_off():
    code = (
        "import digest.wsgi; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.SECURE_SSL_REDIRECT)"
    )
    result = run([sys.executable, "-c", code], SECRET_KEY="k" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["digest.settings.production", "False", "True"]


def test_gunicorn_refuses_to_start_without_a_secret_key():
    gunicorn = shutil.which("gunicorn", path=str(VENV_BIN))
    result = run(
        [gunicorn, "-c", "gunicorn.conf.py", "digest.wsgi"],
        GUNICORN_BIND=f"127.0.0.1:{free_port()}",
        WEB_CONCURRENCY="1",
    )

    assert result.returncode != 0
    assert REFUSAL in result.stdout + result.stderr


def test_the_containers_start_script_refuses_to_start_without_a_secret_key():
    # deploy/start-web.sh migrates first: it must stop there, before touching any database.
    result = run(["sh", "deploy/start-web.sh"], DATABASE_URL="postgres://nobody@127.0.0.1:1/none")

    assert result.returncode != 0
    assert REFUSAL in result.stderr


def test_the_docker_image_defaults_to_production_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()

    assert re.search(r"^\s+DJANGO_SETTINGS_MODULE=digest\.settings\.production\b", dockerfile, re.M)
    assert re.search(r"^\s+DJANGO_SETTINGS_MODULE: digest\.settings\.production$", compose, re.M)


def test_production_refuses_debug_on():
    result = run(
        [sys.executable, "manage.py", "check"],
        DJANGO_SETTINGS_MODULE="digest.settings.production",
        SECRET_KEY="k" * 50,
        DEBUG="1",
    )

    assert result.returncode != 0
    assert "DEBUG must be off with digest.settings.production" in result.stderr
