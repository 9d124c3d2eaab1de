"""The operator's outage drills (issue 16), on a stack of the test's own: a PostgreSQL cluster
and a Redis that the test starts, stops and freezes (SIGSTOP: they keep their sockets, accept
connections and never answer), and gunicorn with the production configuration in front of
them. A Redis outage costs renders, not seconds, and keeps every server ready; a frozen
database gives the friendly 503 within seconds while cached pages are still served."""

import re
import statistics
import time

import pytest

from bench import stack

pytestmark = pytest.mark.slow

MAX_AGE = 4


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("drills")
    try:
        postgres = stack.Postgres().start()
        redis = stack.Redis(tmp / "redis").start()
    except (RuntimeError, OSError) as error:
        pytest.skip(f"the drills need PostgreSQL and Redis binaries: {error}")
    postgres.create_database("digest_drill")
    env = stack.production_env(
        tmp,
        database_url=postgres.url("digest_drill"),
        cache_url=redis.url,
        port=stack.free_port(),
        DATABASE_TIMEOUT=3,
        # Short, so the front-cache drill below waits seconds, not half a minute.
        PAGECACHE_MAX_AGE=MAX_AGE,
    )
    stack.manage(env, "migrate", "--noinput")
    stack.manage(env, "load_seed")
    stack.manage(env, "collectstatic", "--noinput", "-v0")
    gunicorn = stack.Gunicorn(env, tmp / "gunicorn.log").start()
    nginx = stack.Nginx(tmp / "nginx", gunicorn.port).start()
    article = stack.manage(
        env, "shell", "-v0", "-c",
        "from articles.models import Article; print(Article.objects.published().first()"
        ".get_absolute_url())",
    ).stdout.strip()  # fmt: skip
    parts = type("Stack", (), {})()
    parts.postgres, parts.redis, parts.gunicorn, parts.article = postgres, redis, gunicorn, article
    parts.nginx, parts.env = nginx, env
    parts.pages = ["/", article, "/feeds/rss/"]
    yield parts
    for part in (nginx, gunicorn, redis):
        part.stop()
    postgres.remove()


def get(production, path):
    return stack.get(production.gunicorn.base, path)


def warm(production):
    for _ in range(6):  # every worker has served and stored every page
        for page in production.pages:
            status = get(production, page)[0]
            assert status == 200, (page, status)


def page_latencies(production, rounds=15):
    seconds, statuses = [], []
    for _ in range(rounds):
        for page in production.pages:
            status, _, _, took = get(production, page)
            statuses.append(status)
            seconds.append(took)
    return statuses, seconds


def readiness(production):
    status, _, body, took = get(production, "/readyz")
    return status, body.decode(), took


@pytest.mark.parametrize("how", ["stopped", "frozen"])
def test_without_redis_the_servers_stay_ready_and_pages_cost_milliseconds(production, how):
    warm(production)
    redis = production.redis
    try:
        redis.stop() if how == "stopped" else redis.freeze()
        status, body, _ = readiness(production)
        assert status == 200, body
        assert '"status": "degraded"' in body and '"cache": "error' in body
        statuses, seconds = page_latencies(production)
        assert set(statuses) == {200}
        p50 = statistics.median(seconds)
        assert p50 < 0.050, f"p50 {p50 * 1000:.1f} ms with Redis {how}"
        assert max(seconds) < 2.0
    finally:
        redis.start() if how == "stopped" else redis.thaw()
    # Back within the circuit's few seconds (each process asks Redis again by itself).
    deadline, seen = time.monotonic() + 30, []
    while time.monotonic() < deadline:
        seen.append(readiness(production)[1])
        if '"status": "ok"' in seen[-1] and len(seen) > 1 and '"status": "ok"' in seen[-2]:
            break
        time.sleep(0.5)
    assert '"status": "ok"' in seen[-1], seen[-5:]


def test_a_frozen_database_gives_the_friendly_503_within_seconds_and_cached_pages_still_200(
    production,
):
    warm(production)
    production.postgres.freeze()
    try:
        started = time.monotonic()
        # A page nobody asked for yet: a search must read the database.
        status, headers, body, took = get(production, "/search/?q=frozen")
        assert status == 503, body[:300]
        assert took < 6.0, f"the 503 took {took:.1f} s"
        assert b"Back in a moment" in body and headers["Retry-After"]
        for page in production.pages:
            status, _, body, took = get(production, page)
            assert status == 200 and took < 1.0, (page, status, took)
        # Every worker answers at once from now on, uncached pages included.
        for query in ("second", "third", "fourth"):
            status, _, _, took = get(production, f"/search/?q={query}")
            assert status == 503 and took < 6.0, (query, status, took)
        assert readiness(production)[0] == 503
        assert time.monotonic() - started < 30
    finally:
        production.postgres.thaw()
    # Back within seconds in every worker (each closes its own circuit): a run of uncached
    # pages, every one answered.
    deadline, answered, statuses = time.monotonic() + 15, 0, []
    while time.monotonic() < deadline and answered < 12:
        status, _, body, _ = get(production, f"/search/?q=thawed{len(statuses)}")
        statuses.append(status)
        answered = answered + 1 if status == 200 else 0
        if status != 200:
            time.sleep(0.25)
    assert answered == 12, statuses[-20:]
    assert re.search(rb"<h1[^>]*>", body)


# --- The shipped nginx front (issue 16, item 2) -----------------------------------------------


def shell(production, code):
    return stack.manage(production.env, "shell", "-v0", "-c", code).stdout.strip()


def through_nginx(production, path):
    return stack.get(production.nginx.base, path, {"X-Forwarded-Proto": "https"})


def test_nginx_shows_an_unpublished_and_a_renamed_article_within_max_age(production):
    urls = shell(
        production,
        "from articles import services; from articles.models import Article, Category\n"
        "c = Category.objects.first()\n"
        "a = services.article_save(title='Retracted ferry story', category=c, status='published')\n"
        "b = services.article_save(title='Renamed ferry story', category=c, status='published')\n"
        "print(a.get_absolute_url(), b.get_absolute_url())",
    ).split()
    retracted, renamed = urls
    for path in urls:  # stored by nginx's micro-cache
        for _ in range(3):
            status, headers, _, _ = through_nginx(production, path)
        assert status == 200 and headers["X-Cache-Status"] == "HIT", (path, status)
    shell(
        production,
        "from articles import services; from articles.models import Article\n"
        f"services.article_unpublish(article=Article.objects.get(slug='{retracted.split('/')[-2]}'))\n"
        f"services.article_save(article=Article.objects.get(slug='{renamed.split('/')[-2]}'),"
        " slug='ferry-story-new-name')",
    )
    changed_at, wanted, seen = time.monotonic(), {retracted: 404, renamed: 301}, {}
    while time.monotonic() - changed_at < MAX_AGE + 5 and len(seen) < 2:
        for path, status in wanted.items():
            if path not in seen and through_nginx(production, path)[0] == status:
                seen[path] = time.monotonic() - changed_at
        time.sleep(0.25)
    gone, moved = seen.get(retracted), seen.get(renamed)
    assert gone is not None, "nginx kept serving the unpublished article"
    assert moved is not None, "nginx kept serving the renamed article's old page"
    # And it stays so: the stale copy is replaced, not kept beside the new answer.
    for _ in range(8):
        assert through_nginx(production, retracted)[0] == 404
        status, headers, _, _ = through_nginx(production, renamed)
        assert status == 301 and headers["Location"].endswith("/ferry-story-new-name/")
        time.sleep(0.25)


def test_media_from_nginx_carries_the_same_security_headers_as_pages(production):
    media = production.nginx.media_root
    (media / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n fake")
    (media / "notes.html").write_text("<script>alert(1)</script>")
    page = through_nginx(production, "/")[1]
    for name in ("photo.png", "notes.html"):
        status, headers, _, _ = through_nginx(production, f"/media/{name}")
        assert status == 200, name
        hsts = headers["Strict-Transport-Security"]
        assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 15768000
        assert headers["Referrer-Policy"] == page["Referrer-Policy"]
        assert headers["Permissions-Policy"] == page["Permissions-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in headers["Content-Security-Policy"]
