"""An operator imports new pieces from a second terminal while the site serves: the new piece
is on the home page at the very next request, with the embedded default (local-memory cache,
SQLite) as with Redis."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_TEST_URL = os.environ.get("DIGEST_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")

PIECE = """---
title: Ferry to Aktau resumes after the storm
category: news
standfirst: The Caspian crossing is open again.
---

The ferry from Alat to Aktau sailed again on Monday morning.
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return response.headers.get("X-Page-Cache"), response.read().decode()


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_TEST_URL}")
    return REDIS_TEST_URL


@pytest.fixture(params=["locmem", "redis"])
def serving_site(request, tmp_path):
    """A site served by its own process on a SQLite file, as `make run` serves it, with the
    page cache on, and a way to run manage.py commands beside it."""
    cache_url = "locmem://" if request.param == "locmem" else redis_or_skip()
    if request.param == "redis":
        cache_url += f"?prefix=import-test-{os.getpid()}"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PAGECACHE_", "DATABASE_", "CACHE_"))
    }
    environment.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_URL=cache_url,
        MEDIA_ROOT=str(tmp_path / "media"),
        PAGECACHE_ENABLED="1",
        PYTHONUNBUFFERED="1",
    )

    def manage(*arguments):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    for command in (["migrate", "--noinput"], ["load_seed"]):
        result = manage(*command)
        assert result.returncode == 0, result.stderr
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                fetch(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield base, manage, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_piece_imported_from_another_terminal_is_on_the_next_home_page(serving_site):
    base, manage, folder = serving_site
    fetch(f"{base}/")
    marker, page = fetch(f"{base}/")
    assert marker == "hit"
    assert "Ferry to Aktau resumes" not in page

    piece = folder / "ferry.md"
    piece.write_text(PIECE)
    result = manage("import_articles", str(piece), "--status", "published")
    assert result.returncode == 0, result.stdout + result.stderr

    marker, page = fetch(f"{base}/")
    assert marker != "hit"
    assert "Ferry to Aktau resumes after the storm" in page
