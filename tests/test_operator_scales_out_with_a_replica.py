"""With DATABASE_REPLICA_URL, reads go to the replica alias and writes to the primary; a
request that writes or is signed in reads from the primary."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.models import Article
from digest import db_routers

pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@pytest.fixture
def router_on(settings):
    settings.DATABASE_ROUTERS = ["digest.db_routers.PrimaryReplicaRouter"]
    token = db_routers.start_request(pinned=False)
    yield
    db_routers.end_request(token)


def test_reads_use_the_replica_and_writes_the_primary(router_on, make_category):
    with CaptureQueriesContext(connections["default"]) as primary:
        with CaptureQueriesContext(connections["replica"]) as replica:
            token = db_routers.start_request(pinned=False)
            assert Article.objects.published().db == "replica"
            list(Article.objects.published())
            db_routers.end_request(token)
    assert any("articles_article" in q["sql"] for q in replica.captured_queries)
    assert not any("articles_article" in q["sql"] for q in primary.captured_queries)

    category = make_category(name="Energy")
    with CaptureQueriesContext(connections["default"]) as primary:
        with CaptureQueriesContext(connections["replica"]) as replica:
            token = db_routers.start_request(pinned=False)
            services.article_save(
                title="Pipeline deal signed", body="<p>Text.</p>", category=category
            )
            db_routers.end_request(token)
    writes = [q["sql"] for q in primary.captured_queries if q["sql"].startswith("INSERT")]
    assert any("articles_article" in sql for sql in writes)
    assert not any(q["sql"].startswith(("INSERT", "UPDATE")) for q in replica.captured_queries)
    assert Article.objects.filter(title="Pipeline deal signed").exists()


def test_after_a_write_the_rest_of_the_request_reads_the_primary(router_on, make_category):
    token = db_routers.start_request(pinned=False)
    make_category(name="Culture")
    assert Article.objects.all().db == "default"
    db_routers.end_request(token)
    assert Article.objects.all().db == "replica"


def test_signed_in_and_posting_requests_are_pinned_to_the_primary(router_on, rf):
    from digest.middleware import ReplicaPinMiddleware

    seen = []
    middleware = ReplicaPinMiddleware(lambda request: seen.append(Article.objects.all().db))
    middleware(rf.get("/"))
    signed_in = rf.get("/")
    signed_in.COOKIES["sessionid"] = "abc"
    middleware(signed_in)
    middleware(rf.post("/accounts/login/"))
    assert seen == ["replica", "default", "default"]


def test_the_replica_is_never_migrated():
    router = db_routers.PrimaryReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")
