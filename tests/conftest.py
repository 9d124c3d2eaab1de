"""Small builders shared by the tests: make_category, make_author, make_article."""

import contextlib
import itertools
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, Category
from tests.browser import SERIAL

_counter = itertools.count(1)


@pytest.fixture
def make_category(db):
    def make(name=None, **overrides):
        name = name or f"Category {next(_counter)}"
        return services.category_create(name=name, **overrides)

    return make


@pytest.fixture
def make_author(db):
    def make(name=None, **overrides):
        return services.author_get_or_create(name=name or f"Author {next(_counter)}", **overrides)

    return make


@pytest.fixture
def make_article(db, make_category):
    """A published article from an hour ago unless told otherwise."""

    def make(**overrides):
        n = next(_counter)
        fields = {
            "title": f"Article number {n}",
            "standfirst": f"Standfirst of article {n}.",
            "body": f"<p>Body of article {n} about Baku and Ankara.</p>",
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(hours=1),
        }
        fields.update(overrides)
        if "category" not in fields:
            fields["category"] = Category.objects.first() or make_category()
        return services.article_save(**fields)

    return make


@pytest.fixture
def seeded(db):
    """The committed seed fixtures, loaded."""
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)


@pytest.fixture
def big_site(db):
    """A generated newsroom: 240 published articles over 60 days in a two-level category
    tree, with bylines, tags, translations and reprints, plus drafts and scheduled pieces
    that must stay invisible. Returns a namespace of what it made."""
    from types import SimpleNamespace

    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    from articles.models import SiteIdentity

    SiteIdentity.objects.update_or_create(
        pk=1, defaults={"name": "Big Digest", "tagline": "Every day", "about": "Generated."}
    )
    about, _ = FlatPage.objects.get_or_create(
        url="/who-we-are/", defaults={"title": "Who we are", "content": "<p>About us.</p>"}
    )
    about.sites.add(Site.objects.get_current())
    news = services.category_create(name="News", menu_order=1)
    sections = [
        news,
        services.category_create(name="Economy", parent=news),
        services.category_create(name="Energy", parent=news),
        services.category_create(name="Opinion", menu_order=0),
        services.category_create(name="Culture", menu_order=2),
        services.category_create(name="Defense", menu_order=3),
    ]
    writers = [services.author_get_or_create(name=f"Writer {i}") for i in range(8)]
    translator = services.author_get_or_create(name="Tara Translator")
    outlet = services.source_get_or_create(name="Globalinfo.az", url="https://globalinfo.az/")
    tags = [f"Topic {i}" for i in range(12)]
    now = timezone.now()
    articles = []
    for i in range(240):
        translation = None
        if i % 5 == 0:
            translation = {
                "source": outlet,
                "source_url": f"https://globalinfo.az/news/{i}",
                "original_title": f"Orijinal başlıq {i}",
                "source_language": "az",
                "translator": translator,
            }
        elif i % 7 == 0:
            translation = {"source": outlet, "source_url": f"https://globalinfo.az/en/{i}"}
        articles.append(
            services.article_save(
                title=f"Generated story {i:03d} about pipelines",
                standfirst=f"What happened in story {i}.",
                body=f"<p>Story {i}: Caspian energy and {'harvest' if i % 2 else 'trade'}.</p>",
                category=sections[i % len(sections)],
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(hours=6 * i + 1),
                is_featured=i % 17 == 0,
                authors=[writers[i % len(writers)], writers[(i + 3) % len(writers)]],
                tags=[tags[i % len(tags)], tags[(i * 5) % len(tags)], tags[(i + 1) % len(tags)]],
                translation=translation,
            )
        )
    hidden = [
        services.article_save(title="Secret draft pipelines", category=news,
                              status=Article.Status.DRAFT, tags=[tags[0]], authors=[writers[0]]),
        services.article_save(title="Scheduled pipelines exclusive", category=news,
                              status=Article.Status.PUBLISHED, tags=[tags[0]],
                              published_at=now + timedelta(days=1), authors=[writers[0]]),
    ]  # fmt: skip
    return SimpleNamespace(
        articles=articles,
        hidden=hidden,
        categories=sections,
        news=news,
        writers=writers,
        translator=translator,
        outlet=outlet,
        tags=tags,
    )


@pytest.fixture
def make_staff(db):
    """A staff user in the newsroom group *role* ("Editor" or "Translator")."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group, User

    if not Group.objects.filter(name="Editor").exists():
        # A transactional test (the browser's) flushed the migration's groups: make them again.
        import_module("articles.migrations.0004_issue5_groups").create_groups(apps, None)
        # The newsletter's permissions for editors (issue 20).
        import_module("newsletter.migrations.0002_editor_permissions").grant_editors(apps, None)
        import_module("articles.migrations.0011_desk_newsroom").translators_add_people(apps, None)
        import_module("articles.migrations.0022_document").newsroom_may_use_files(apps, None)

    def make(role, username=None, **extra):
        user = User.objects.create_user(
            username=username or f"{role.lower()}{next(_counter)}",
            password="correct horse battery",
            is_staff=True,
            **extra,
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def editor(make_staff):
    return make_staff("Editor")


@pytest.fixture
def translator(make_staff):
    return make_staff("Translator")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def translator_client(translator):
    from django.test import Client

    client = Client()
    client.force_login(translator)
    return client


@pytest.fixture
def article_form_data():
    """The POST body of the admin's article change form for *article*, with *overrides*."""

    def build(article=None, **overrides):
        from articles.models import Translation

        has_translation = (
            article is not None
            and article.pk
            and Translation.objects.filter(article=article).exists()
        )
        data = {
            "title": "",
            "slug": "",
            "standfirst": "",
            "body": "",
            "image_alt": "",
            "image_caption": "",
            "image_credit": "",
            "tags": "",
            "language": "en",
            "status": "draft",
            "seo_title": "",
            "seo_description": "",
            "canonical_url": "",
            "translation-TOTAL_FORMS": "1" if has_translation else "0",
            "translation-INITIAL_FORMS": "1" if has_translation else "0",
            "translation-MIN_NUM_FORMS": "0",
            "translation-MAX_NUM_FORMS": "1",
        }
        if article is not None:
            local = timezone.localtime(article.published_at) if article.published_at else None
            data.update(
                title=article.title,
                slug=article.slug,
                standfirst=article.standfirst,
                body=article.body,
                image_alt=article.image_alt,
                category=str(article.category_id),
                status=article.status,
                language=article.language,
                opened_version=str(article.version),
            )
            if local:
                data["published_at_0"] = local.strftime("%Y-%m-%d")
                data["published_at_1"] = local.strftime("%H:%M:%S")
            if article.is_featured:
                data["is_featured"] = "on"
            authors = list(article.authors.values_list("pk", flat=True))
            if authors:
                data["authors"] = [str(pk) for pk in authors]
            if has_translation:
                record = article.translation
                data.update(
                    {
                        "translation-0-id": str(record.pk),
                        "translation-0-article": str(article.pk),
                        "translation-0-source": str(record.source_id or ""),
                        "translation-0-source_url": record.source_url,
                        "translation-0-original_title": record.original_title,
                        "translation-0-source_language": record.source_language,
                    }
                )
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


@pytest.fixture
def page_cache_on(settings):
    """The page cache on, as in production, with nothing kept from an earlier test."""
    from django.core.cache import cache, caches

    settings.PAGECACHE_ENABLED = True
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached counts and pages must not outlive the
    rolled-back data of an earlier test."""
    from django.core.cache import cache

    cache.clear()


class _CountingApp:
    """The live server's WSGI application, counting the requests it is answering.

    With SQLite in memory every request thread shares the test's one connection, and two
    requests at once (a closing page's autosave and presence beacons) broke it: a 503 "bad
    parameter or other API misuse", a session not found. *serial* answers one at a time."""

    def __init__(self, app, *, serial=False):
        self.app = app
        self.lock = threading.Lock()
        self.serial = SERIAL if serial else contextlib.nullcontext()
        self.answering = 0
        self.last_seen = time.monotonic()

    def __call__(self, environ, start_response):
        with self.lock:
            self.answering += 1
        try:
            with self.serial:
                return self.app(environ, start_response)
        finally:
            with self.lock:
                self.answering -= 1
                self.last_seen = time.monotonic()

    def settle(self, *, quiet=0.3, timeout=10.0):
        """Wait until no request has been answered for *quiet* seconds (or *timeout*)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if not self.answering and time.monotonic() - self.last_seen >= quiet:
                    return
            time.sleep(0.05)


@pytest.fixture(autouse=True)
def _live_server_settles(request, _django_db_helper):
    """A browser test's last requests (the presence beacon a closing page sends, a reading
    counted) are answered before its database is flushed. With SQLite in memory the live server
    shares the test's connection: a flush beside a running request failed ("database table is
    locked") and left that test's rows to the next one."""
    if "live_server" not in request.fixturenames:
        yield
        return
    thread = request.getfixturevalue("live_server").thread
    server = thread.httpd
    app = server.get_app()
    if not isinstance(app, _CountingApp):
        app = _CountingApp(app, serial=bool(thread.connections_override))
        server.set_app(app)
    yield
    app.settle()
