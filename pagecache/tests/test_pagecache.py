"""The page cache on its own: a project watches a model, readers get stored pages, and a change
shows on the next request — in this process and from any other process of the installation."""

import os
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache, caches
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from pagecache import keys, local, registry, state
from pagecache import middleware as middleware_module
from pagecache.tests import urls

pytestmark = pytest.mark.urls("pagecache.tests.urls")


@pytest.fixture(autouse=True)
def page_cache(settings, db, tmp_path):
    settings.PAGECACHE_ENABLED = True
    settings.PAGECACHE_VERSION_FILE = str(tmp_path / "version")
    settings.PAGECACHE_EXCLUDE = ["/skip/"]
    cache.clear()
    caches["fragments"].clear()
    registry.watch(Group, unseen=lambda group, created, deleted: group.name.startswith("draft"))
    registry.vary_on("groups", "page")
    urls.COMPUTED.clear()
    yield
    registry.unwatch(Group)
    cache.clear()
    caches["fragments"].clear()


def hit(response):
    return response.get("X-Page-Cache") == "hit"


def test_a_second_request_is_a_stored_page_read_without_sql(client, django_assert_num_queries):
    Group.objects.create(name="Editors")
    first = client.get("/groups/")
    assert not hit(first) and "Editors" in first.text
    with django_assert_num_queries(0):
        second = client.get("/groups/")
    assert hit(second)
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=" in second["Cache-Control"]


def test_a_change_to_a_watched_model_shows_on_the_next_request(client):
    group = Group.objects.create(name="Editors")
    client.get("/groups/")
    group.name = "Desk editors"
    group.save()
    response = client.get("/groups/")
    assert not hit(response)
    assert "Desk editors" in response.text


def test_a_change_the_rule_calls_unseen_keeps_the_stored_pages(client):
    Group.objects.create(name="Editors")
    client.get("/groups/")
    Group.objects.create(name="draft desk")
    assert hit(client.get("/groups/"))
    Group.objects.create(name="Translators")
    assert "Translators" in client.get("/groups/").text


def test_a_model_nobody_registered_never_invalidates(client):
    registry.unwatch(Group)
    Group.objects.create(name="Editors")
    client.get("/groups/")
    Group.objects.create(name="Unwatched")
    assert hit(client.get("/groups/"))


def test_many_to_many_changes_of_a_watched_model_invalidate(client):
    group = Group.objects.create(name="Editors")
    user = User.objects.create_user("aygun")
    registry.watch_app("auth")
    try:
        client.get("/groups/")
        user.groups.add(group)
        assert not hit(client.get("/groups/"))
    finally:
        for model in (User, Group):
            registry.unwatch(model)


def test_content_that_changes_on_its_own_expires_the_pages_at_that_time(client, monkeypatch):
    due = timezone.now() + timedelta(seconds=20)
    next_change = lambda: due  # noqa: E731
    registry.schedule(next_change)
    try:
        Group.objects.create(name="Editors")
        first = client.get("/groups/")
        max_age = int(first["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert max_age <= 20
        assert hit(client.get("/groups/"))
        later = due + timedelta(seconds=1)
        monkeypatch.setattr(state.time, "time", later.timestamp)
        registry.unschedule(next_change)
        assert not hit(client.get("/groups/"))
    finally:
        registry.unschedule(next_change)


def test_fragments_are_computed_once_per_content_version(client):
    Group.objects.create(name="Editors")
    client.get("/groups/")
    client.get("/groups/?page=2")  # another page, same version: the footer is reused
    assert urls.COMPUTED == ["/groups/"]
    Group.objects.create(name="Desk")
    assert f"{Group.objects.count()} groups" in client.get("/groups/?page=2").text
    assert urls.COMPUTED == ["/groups/", "/groups/"]


def test_tracking_parameters_are_the_same_page_and_others_are_not(client):
    client.get("/groups/")
    assert hit(client.get("/groups/?utm_source=newsletter&fbclid=abc"))
    assert not hit(client.get("/groups/?page=2"))
    query = QueryDict("q=baku&gclid=1&utm_medium=social&page=2")
    assert keys.meaningful_parameters(query) == [("page", "2"), ("q", "baku")]


@pytest.mark.parametrize("url", ["/cookie/", "/message/", "/private/"])
def test_a_page_that_sets_a_cookie_or_opts_out_is_never_stored(client, url):
    client.get(url)
    client.cookies.clear()
    assert not hit(client.get(url))


def test_excluded_paths_and_readers_with_a_session_are_never_served_from_the_cache(client):
    client.get("/skip/groups/")
    assert not hit(client.get("/skip/groups/"))
    client.get("/groups/")
    client.cookies["sessionid"] = "abc"
    assert not hit(client.get("/groups/"))


def test_a_conditional_request_for_a_stored_page_is_answered_304(client):
    first = client.get("/groups/")
    response = client.get("/groups/", headers={"if-none-match": first["ETag"]})
    assert response.status_code == 304


def test_with_a_local_memory_cache_the_version_lives_in_the_file(settings):
    token = state.content_token()
    assert Path(settings.PAGECACHE_VERSION_FILE).read_bytes().decode() == token
    state.content_changed()
    assert state.content_token() != token


def test_a_change_made_by_another_process_shows_on_the_next_request(client, settings):
    """A management command, a task worker or a shell changes content beside the web
    server: with the local-memory cache no process can reach another's memory, so the
    version file is what they share."""
    Group.objects.create(name="Editors")
    client.get("/groups/")
    assert hit(client.get("/groups/"))
    other_process = textwrap.dedent(
        """
        import django
        django.setup()
        from pagecache.state import content_changed
        content_changed()
        """
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "digest.settings.test"),
        "PAGECACHE_VERSION_FILE": settings.PAGECACHE_VERSION_FILE,
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", other_process],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not hit(client.get("/groups/"))


def test_a_version_file_replaced_under_a_running_process_is_noticed(settings, monkeypatch):
    token = state.content_token()
    path = Path(settings.PAGECACHE_VERSION_FILE)
    path.unlink()
    path.write_text("f" * state.VersionFile.SIZE)
    monkeypatch.setattr(state.VersionFile, "RECHECK_SECONDS", 0.0)
    assert state.content_token() == "f" * state.VersionFile.SIZE != token


# --- The shared cache goes away (issue 16) -------------------------------------------------


@pytest.fixture
def shared_cache_away(settings):
    settings.CACHES = {
        **settings.CACHES,
        "away": {"BACKEND": "pagecache.tests.backends.AwayCache"},
    }
    settings.PAGECACHE_CACHE = "away"
    state.outage.end()
    yield
    state.outage.end()
    local.tier.reset()


def test_while_the_shared_cache_is_away_each_process_keeps_serving_what_it_rendered(
    client, shared_cache_away, django_assert_num_queries
):
    Group.objects.create(name="Editors")
    first = client.get("/groups/")
    assert not hit(first) and "Editors" in first.text
    with django_assert_num_queries(0):
        second = client.get("/groups/")
    assert hit(second) and second.content == first.content
    client.get("/groups/?page=2")  # another page reuses the fragments rendered meanwhile
    assert urls.COMPUTED == ["/groups/"]


def test_a_change_made_while_the_shared_cache_is_away_shows_at_once_in_this_process(
    client, shared_cache_away
):
    group = Group.objects.create(name="Editors")
    client.get("/groups/")
    group.name = "Night editors"
    group.save()
    response = client.get("/groups/")
    assert not hit(response) and "Night editors" in response.text


def test_what_is_kept_during_an_outage_lives_no_longer_than_the_outage_seconds(
    client, shared_cache_away, settings, monkeypatch
):
    settings.PAGECACHE_OUTAGE_SECONDS = 5
    Group.objects.create(name="Editors")
    first = client.get("/groups/")
    assert int(first["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 5
    assert hit(client.get("/groups/"))
    later = time.time() + 6
    monkeypatch.setattr(state.time, "time", lambda: later)
    monkeypatch.setattr(middleware_module.time, "time", lambda: later)
    assert not hit(client.get("/groups/"))


@pytest.fixture
def shared_cache_comes_back(settings):
    from pagecache.tests.backends import ComebackCache

    settings.CACHES = {
        **settings.CACHES,
        "comeback": {"BACKEND": "pagecache.tests.backends.ComebackCache"},
    }
    settings.PAGECACHE_CACHE = "comeback"
    ComebackCache.restart()
    state.outage.end()
    yield ComebackCache
    ComebackCache.restart()
    state.outage.end()
    local.tier.reset()


def test_once_the_shared_cache_answers_again_another_process_s_change_shows_at_once(
    client, shared_cache_comes_back
):
    """A restarted Redis comes back empty: the process that served from its own outage state
    meanwhile goes back to the shared version at once, it does not wait out the outage
    seconds (it used to: a shell's rename kept the old page for half a minute)."""
    group = Group.objects.create(name="Editors")
    shared_cache_comes_back.away = True
    client.get("/groups/")
    assert hit(client.get("/groups/"))  # the outage state of this process
    shared_cache_comes_back.restart()
    # Another process's change: the rows change, the shared version is replaced (there is
    # none to replace: the server came back empty), this process hears nothing.
    Group.objects.filter(pk=group.pk).update(name="Night editors")
    shared_cache_comes_back.data.pop(state.STATE_KEY, None)
    response = client.get("/groups/")
    assert not hit(response) and "Night editors" in response.text
    assert state.STATE_KEY in shared_cache_comes_back.data  # shared again
    assert hit(client.get("/groups/"))


# --- Junk parameters (issue 16) -------------------------------------------------------------


def test_a_parameter_the_view_did_not_declare_is_the_same_stored_page(
    client, django_assert_num_queries
):
    Group.objects.create(name="Editors")
    client.get("/groups/")
    with django_assert_num_queries(0):
        for n in range(5):
            assert hit(client.get(f"/groups/?x={n}&_={n}&cb=random{n}"))
    assert not hit(client.get("/groups/?page=2"))  # declared: another page
    assert hit(client.get("/groups/?page=2&junk=1"))


def test_a_page_nobody_declared_parameters_for_varies_on_none(client):
    assert keys.page_parameters(RequestFactory().get("/cookie/?page=3&q=x")) == []
    request = RequestFactory().get("/groups/?page=3&q=x&utm_source=mail")
    assert keys.page_parameters(request) == [("page", "3")]


def test_the_fragments_cache_hands_back_what_it_kept_not_a_copy(monkeypatch):
    """Pages read the kept parts on every miss: no pickling either way (issue 21), and its
    entries expire and are culled as `LocMemCache`'s."""
    from pagecache.memory import ObjectCache

    store = ObjectCache("test-objects", {"OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 3}})
    store.clear()
    kept = [object(), {"lead": 1}]
    store.set("blocks", kept, 60)
    assert store.get("blocks") is kept
    assert store.add("blocks", "other") is False and store.add("new", "html") is True
    store.set("n", 1)
    assert store.incr("n", 2) == 3 and store.get("n") == 3
    for name in ("a", "b", "c", "d"):
        store.set(name, name)
    assert len(store._cache) <= 3  # culled at the entry limit
    store.set("short", "gone", 1)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 5)
    assert store.get("short") is None
    assert caches["fragments"].__class__ is ObjectCache
