"""The production stack on loopback, part by part, for the outage drills (bench/reliability.py)
and the tests that stop and freeze its parts (tests/test_operator_survives_outages.py,
tests/test_operator_serves_through_nginx.py): a PostgreSQL cluster of its own (initdb into a
temporary directory), a Redis of its own, gunicorn with gunicorn.conf.py, and nginx with the
production template. Each part can be stopped, started again, frozen (SIGSTOP: it keeps its
sockets, accepts connections and never answers) and thawed. Nothing here touches the machine's
own PostgreSQL or Redis.
"""

import glob
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def children(pid):
    """The ids of *pid*'s child processes."""
    try:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return []
    return [int(line) for line in out.split()]


class Part:
    """A server process that can be stopped, started, frozen and thawed."""

    proc = None

    def start(self):
        raise NotImplementedError

    def pids(self):
        return [self.proc.pid, *children(self.proc.pid)] if self.proc else []

    def freeze(self):
        for pid in self.pids():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self):
        for pid in self.pids():
            os.kill(pid, signal.SIGCONT)

    def stop(self):
        if self.proc is None:
            return
        self.thaw()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


class Redis(Part):
    def __init__(self, directory, port=None):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise RuntimeError("redis-server is not installed")
        self.directory = Path(directory)
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_port(self.port)
        return self


def postgres_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    return shutil.which(name)


class Postgres(Part):
    """A PostgreSQL cluster of its own in *directory* (initdb), trust authentication, on
    loopback only."""

    def __init__(self, directory=None, port=None):
        self.initdb, self.postgres = postgres_bin("initdb"), postgres_bin("postgres")
        if not (self.initdb and self.postgres):
            raise RuntimeError("PostgreSQL's initdb and postgres are not installed")
        # Directly under the temporary directory: run as root, the server runs as the
        # postgres user, who must reach it (pytest's own temporary folders are private).
        self.directory = Path(directory or tempfile.mkdtemp(prefix="digest-pg-"))
        self.data = self.directory / "data"
        self.port = port or free_port()
        self.user = "postgres"
        self.log = self.directory / "postgres.log"

    def url(self, database):
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{database}"

    def _as_owner(self):
        """initdb refuses to run as root: run as the owner of the directory."""
        if os.geteuid() != 0:
            return {}
        import pwd

        owner = pwd.getpwnam("postgres")
        os.chown(self.directory, owner.pw_uid, owner.pw_gid)

        def demote():
            os.setgid(owner.pw_gid)
            os.setuid(owner.pw_uid)

        return {"preexec_fn": demote}

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o755)  # noqa: S103 — the server's own user must enter it
        options = self._as_owner()
        if not self.data.exists():
            subprocess.run(
                [self.initdb, "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
                 "--no-sync"],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **options,
            )  # fmt: skip
        socket_dir = self.directory / "socket"
        socket_dir.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            import pwd

            owner = pwd.getpwnam("postgres")
            os.chown(socket_dir, owner.pw_uid, owner.pw_gid)
        with open(self.log, "ab") as log:
            if os.geteuid() == 0:
                import pwd

                owner = pwd.getpwnam("postgres")
                os.chown(self.log, owner.pw_uid, owner.pw_gid)
            self.proc = subprocess.Popen(
                [self.postgres, "-D", str(self.data), "-p", str(self.port), "-c",
                 "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={socket_dir}",
                 "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
                stdout=log, stderr=subprocess.STDOUT, **options,
            )  # fmt: skip
        wait_port(self.port)
        for _ in range(100):
            if self.sql("postgres", "SELECT 1", check=False).returncode == 0:
                return self
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start: {self.log.read_text()[-2000:]}")

    def stop(self):
        """A fast shutdown (SIGINT): a smart one (SIGTERM) waits for every pooled connection."""
        if self.proc is not None:
            self.thaw()
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def remove(self):
        """Stop the cluster and delete its files."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def sql(self, database, statement, check=True):
        psql = postgres_bin("psql")
        return subprocess.run(
            [psql, "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", database,
             "-qAtc", statement],
            capture_output=True, text=True, check=check, timeout=60,
        )  # fmt: skip

    def create_database(self, name):
        self.sql("postgres", f"DROP DATABASE IF EXISTS {name}")
        self.sql("postgres", f"CREATE DATABASE {name}")


def production_env(tmp, *, database_url, cache_url, port, **extra):
    """The environment of a production process (DEBUG off) on loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIGEST_"))}
    env.pop("DEBUG", None)
    env.update(
        DJANGO_SETTINGS_MODULE="digest.settings.production",
        DEBUG="0",
        SECRET_KEY="stack-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        AXES_PROXY_COUNT="1",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_LOG_LEVEL="warning",
        LOG_LEVEL="ERROR",
        STATIC_ROOT=str(Path(tmp) / "static"),
        MEDIA_ROOT=str(Path(tmp) / "media"),
        PAGECACHE_VERSION_FILE=str(Path(tmp) / "pagecache-version"),
        WEB_CONCURRENCY="2",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *argv, timeout=600):
    return subprocess.run(
        [PYTHON, "manage.py", *argv], cwd=ROOT, env=env, check=True, timeout=timeout,
        capture_output=True, text=True,
    )  # fmt: skip


class Gunicorn(Part):
    def __init__(self, env, log_path):
        self.env = env
        self.port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
        self.log_path = Path(log_path)
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self):
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [gunicorn, "-c", "gunicorn.conf.py", "digest.wsgi"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_port(self.port, 60)
        return self

    def pids(self):
        # Only the master: freezing gunicorn is no drill of this script.
        return [self.proc.pid] if self.proc else []


class Nginx(Part):
    """Debian's nginx with the production template in front of *upstream*."""

    def __init__(self, directory, upstream_port, port=None, media_root=None):
        self.binary = shutil.which("nginx") or (
            "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
        )
        if not self.binary:
            raise RuntimeError("nginx is not installed")
        self.directory = Path(directory)
        self.port = port or free_port()
        self.upstream_port = upstream_port
        self.media_root = Path(media_root or self.directory / "media")
        self.base = f"http://127.0.0.1:{self.port}"

    def config(self):
        sys.path.insert(0, str(ROOT / "deploy"))
        from render_nginx import render

        site = render(
            (ROOT / "deploy" / "nginx" / "digest.conf.template").read_text(),
            {
                "DIGEST_UPSTREAM": f"127.0.0.1:{self.upstream_port}",
                "NGINX_PORT": str(self.port),
                "MEDIA_ROOT": str(self.media_root),
                "NGINX_CACHE_DIR": str(self.directory / "cache"),
                "SESSION_COOKIE_NAME": "sessionid",
            },
        )
        d = self.directory
        user = "user root;" if os.geteuid() == 0 else ""
        return f"""{user}
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 512; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  {site}
}}
"""

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        self.media_root.mkdir(parents=True, exist_ok=True)
        (self.directory / "nginx.conf").write_text(self.config())
        self.proc = subprocess.Popen(
            [self.binary, "-p", str(self.directory), "-c", str(self.directory / "nginx.conf"),
             "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_port(self.port)
        return self


def get(base, path, headers=None, timeout=15.0):
    """(status, headers, body, seconds) of a GET; status 0 when the connection failed."""
    host, port = base.removeprefix("http://").split(":")
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "localhost", **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        return response.status, response.headers, body, time.perf_counter() - started
    except OSError:
        return 0, {}, b"", time.perf_counter() - started
    finally:
        conn.close()
