"""The operator configures Digest from `.env.example`: it names every variable the settings
read, and nothing they do not; a value that cannot be used stops the process with a message
naming the variable."""

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from digest.settings.env import cache_from_url, env_bool, env_float, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_SOURCES = sorted((ROOT / "digest" / "settings").glob("*.py"))
# What else starts the process and reads variables of its own.
ENTRY_POINTS = [ROOT / "manage.py", ROOT / "digest" / "wsgi.py", ROOT / "digest" / "asgi.py"]
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
COMPOSE = ROOT / "docker-compose.yml"
# Read by a library from the environment directly, never through the settings: boto3's
# credentials for the S3 media storage.
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
ENV_HELPERS = {"env", "env_bool", "env_int", "env_float", "env_list"}
VARIABLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")


def names_read_by(path, helpers=ENV_HELPERS):
    """Variable names *path* reads: ``env("NAME", ...)``-style calls to *helpers* and
    ``os.environ.get/setdefault("NAME")``, each with the name spelt out."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in helpers:
            names.add(first.value)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in {"get", "setdefault"}
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "environ"
        ):
            names.add(first.value)
    return names


def documented():
    """Variable name → the lines above it in `.env.example` (its comment), in file order."""
    found, comment = {}, []
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = VARIABLE_LINE.match(line)
        if match:
            found[match.group(1)] = comment
            comment = []
        elif line.startswith("# ") and not line.startswith("# ---"):
            comment.append(line)
        else:
            comment = []
    return found


def test_every_variable_a_settings_module_reads_is_in_env_example():
    read = set().union(*(names_read_by(path) for path in SETTINGS_SOURCES))

    missing = read - set(documented())

    assert "SECRET_KEY" in read and "PAGECACHE_LOCAL_BYTES" in read  # the parser works
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_env_example_names_nothing_that_is_not_read():
    compose = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text()))
    # The deploy scripts' own variables (${NAME:-default} in shell).
    scripts = {
        name
        for script in (ROOT / "deploy").glob("*.sh")
        for name in re.findall(r"\$\{([A-Z][A-Z0-9_]*)", script.read_text())
    }
    read = (
        set().union(*(names_read_by(path) for path in [*SETTINGS_SOURCES, *ENTRY_POINTS]))
        | names_read_by(GUNICORN_CONF)
        | compose
        | scripts
        | READ_BY_LIBRARIES
    )

    unread = set(documented()) - read

    assert "POSTGRES_PASSWORD" in compose and "WEB_CONCURRENCY" in read  # the parsers work
    assert not unread, f".env.example names variables nothing reads: {sorted(unread)}"


def test_every_variable_in_env_example_has_a_comment_with_its_default():
    variables = documented()

    uncommented = [name for name, comment in variables.items() if not comment]
    no_default = [
        name
        for name, comment in variables.items()
        if comment and not re.match(r"# (Default|Required)", comment[0])
    ]

    assert len(variables) > 50 and "SECRET_KEY" in variables  # the parser works
    assert not uncommented, f"no comment above {uncommented}"
    assert not no_default, f"the comment does not start with the default: {no_default}"


def test_no_variable_is_named_twice_in_env_example():
    lines = [VARIABLE_LINE.match(line) for line in (ROOT / ".env.example").read_text().splitlines()]
    names = [match.group(1) for match in lines if match]

    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def test_a_number_that_is_not_a_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("DIGEST_PAGE_SIZE", "twenty")
    monkeypatch.setenv("AXES_COOLOFF_HOURS", "an hour")

    with pytest.raises(ImproperlyConfigured, match="DIGEST_PAGE_SIZE must be a whole number"):
        env_int("DIGEST_PAGE_SIZE", 20)
    with pytest.raises(ImproperlyConfigured, match="AXES_COOLOFF_HOURS must be a number"):
        env_float("AXES_COOLOFF_HOURS", 1.0)


def test_an_unclear_switch_names_the_variable_instead_of_meaning_off(monkeypatch):
    monkeypatch.setenv("SECURE_SSL_REDIRECT", "enabled")

    with pytest.raises(ImproperlyConfigured, match="SECURE_SSL_REDIRECT must be 1 or 0"):
        env_bool("SECURE_SSL_REDIRECT", default=True)


def test_empty_values_mean_the_default_and_switches_read_as_people_write_them(monkeypatch):
    monkeypatch.setenv("DIGEST_PAGE_SIZE", "")
    monkeypatch.setenv("PAGECACHE_ENABLED", " Off ")
    monkeypatch.setenv("EMAIL_USE_TLS", "yes")
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example, ,b.example ")

    assert env_int("DIGEST_PAGE_SIZE", 20) == 20
    assert env_bool("PAGECACHE_ENABLED", default=True) is False
    assert env_bool("EMAIL_USE_TLS") is True
    assert env_list("ALLOWED_HOSTS") == ["a.example", "b.example"]


def test_cache_url_picks_the_backend_and_refuses_an_unknown_scheme():
    redis = cache_from_url("redis://cache:6379/2?prefix=site")

    assert redis["BACKEND"] == "digest.cache.ResilientRedisCache"
    assert redis["LOCATION"] == "redis://cache:6379/2"
    assert redis["KEY_PREFIX"] == "site"
    assert cache_from_url("locmem://")["KEY_PREFIX"] == "digest"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL has an unknown scheme"):
        cache_from_url("memcached://cache:11211")
