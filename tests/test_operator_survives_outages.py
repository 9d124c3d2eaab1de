"""The database or Redis going away: friendly 503s with Retry-After (never a traceback or 500),
service resuming by itself, and Redis loss degrading to no caching. Plus the health probes."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

from digest.cache import ResilientRedisCache

ROOT = Path(__file__).resolve().parent.parent


# --- in-process: the middleware, handler500 and the probes -----------------------------------


def test_a_page_whose_database_is_unreachable_answers_a_friendly_503(client, db):
    with mock.patch(
        "articles.views.Article.objects.published",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Back in a moment" in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text


def test_a_commands_connection_may_wait_out_a_checkpoint_a_web_processs_may_not(settings):
    # The bug: TCP_USER_TIMEOUT (5 s) on every connection cut seed_demo's million-row COPY
    # whenever PostgreSQL paused to write a checkpoint ("server closed the connection").
    from digest import dbguard

    postgres = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"keepalives": 1}}
    from digest.settings import base

    for database in base.DATABASES.values():
        assert "tcp_user_timeout" not in database.get("OPTIONS", {})
    settings.DATABASE_TIMEOUT = 3.0
    web = {"default": dict(postgres, OPTIONS=dict(postgres["OPTIONS"]))}
    dbguard.bound_unacknowledged_data(web)
    assert web["default"]["OPTIONS"] == {"keepalives": 1, "tcp_user_timeout": 3000}


def test_a_database_error_outside_any_view_still_gives_the_503_not_a_500(db):
    from django.test import Client

    client = Client(raise_request_exception=False)
    # The menu is read while the template renders, after the view has returned.
    with mock.patch(
        "articles.chrome.menu_tree",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.get("/search/")
    assert response.status_code == 503
    assert "Back in a moment" in response.text


def test_any_other_crash_gets_the_static_500_page_without_touching_the_database(db):
    from django.test import Client

    client = Client(raise_request_exception=False)
    with mock.patch("articles.views.Article.objects.published", side_effect=KeyError("x")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text


def test_healthz_answers_without_the_database_or_an_allowed_host(client):
    # No `db` fixture: pytest-django would raise on any query.
    response = client.get("/healthz", headers={"host": "10.0.0.7:8000"})
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_and_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readyz_is_503_when_the_database_is_unreachable(client, db):
    with mock.patch("digest.health.connections") as conns:
        conns.__getitem__.return_value.cursor.side_effect = OperationalError("down")
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


# --- a real server whose PostgreSQL goes away and comes back -----------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CuttableProxy:
    """A TCP forwarder to PostgreSQL that the test can cut (refuse and drop every connection)
    and restore, without touching the shared PostgreSQL server."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self.conns = []
        self.listener = None
        self.lock = threading.Lock()

    def restore(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would not (Linux).
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            for sock in self.conns:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.conns.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def gunicorn_through_proxy(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the outage test cuts a PostgreSQL connection (run with DATABASE_URL)")
    db = connection.settings_dict
    proxy = CuttableProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.restore()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIGEST_"))},
        "DJANGO_SETTINGS_MODULE": "digest.settings.production",
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": "dummy://",
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(  # noqa: S603
        [gunicorn, "-c", "gunicorn.conf.py", "digest.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):  # wait until it answers (bounded; not a timing assertion)
        try:
            fetch(base + "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield base, proxy, server
    finally:
        server.terminate()
        server.wait(timeout=30)
        try:
            proxy.cut()
        except OSError:
            pass


@pytest.mark.postgres
def test_database_outage_gives_503_with_retry_after_and_service_resumes_without_restart(
    gunicorn_through_proxy, make_article
):
    base, proxy, server = gunicorn_through_proxy
    article = make_article(title="Caspian ferry line reopens")

    status, _, html = fetch(base + "/")
    assert status == 200 and "Caspian ferry line reopens" in html

    proxy.cut()
    for url in ["/", article.get_absolute_url()]:
        status, headers, html = fetch(base + url)
        assert status == 503, html
        assert headers["Retry-After"] == "30"
        assert "Back in a moment" in html
        assert "Traceback" not in html
    status, _, _ = fetch(base + "/readyz")
    assert status == 503
    status, _, _ = fetch(base + "/healthz")
    assert status == 200

    proxy.restore()
    status, _, html = fetch(base + article.get_absolute_url())
    assert status == 200 and "Caspian ferry line reopens" in html
    assert server.poll() is None  # the same process, never restarted


# --- Redis going away ------------------------------------------------------------------------


@pytest.fixture
def own_redis(tmp_path):
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed")
    port = free_port()

    def start():
        proc = subprocess.Popen(  # noqa: S603
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return proc
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    state = {"proc": start()}

    def stop():
        state["proc"].kill()
        state["proc"].wait()

    def restart():
        state["proc"] = start()

    yield port, stop, restart
    state["proc"].kill()
    state["proc"].wait()


def test_redis_going_away_degrades_to_no_caching_and_comes_back(
    own_redis, client, settings, make_article
):
    port, stop, restart = own_redis
    settings.CACHES = {
        "default": {
            "BACKEND": "digest.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    ResilientRedisCache._down_until = 0.0
    make_article(title="Baku port volumes rise")
    cache.set("k", "v")
    assert cache.get("k") == "v"

    stop()
    assert cache.get("k", "missing") == "missing"
    cache.set("k", "w")  # dropped, not raised
    assert cache.get_many(["k"]) == {}
    assert not cache.delete("k")
    response = client.get("/")
    assert response.status_code == 200 and "Baku port volumes rise" in response.text
    assert client.get("/readyz").json()["cache"].startswith("error")

    restart()
    ResilientRedisCache._down_until = 0.0  # skip the back-off instead of sleeping through it
    cache.set("k", "again")
    assert cache.get("k") == "again"
    assert client.get("/readyz").status_code == 200
