"""A reader follows an old WordPress address after the move: one 301 to the new address,
which answers 200 (issue 17)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage

from articles import services
from articles.models import Article, Category, ImportedItem, OldAddress, Tag
from tests.importing import EDGE, run_wordpress

SITE = EDGE / "site-wxr12.xml"


@pytest.fixture
def imported(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run_wordpress(SITE, "--skip-media")


def _post(post_id):
    item = ImportedItem.objects.get(kind="post", source_id=str(post_id))
    return Article.objects.get(pk=item.object_id)


def _follow_once(client, path):
    response = client.get(path)
    assert response.status_code == 301, (path, response.status_code)
    target = response["Location"]
    assert client.get(target).status_code == 200, (path, target)
    return target


@pytest.mark.parametrize(
    "path",
    [
        "/2024/01/15/hello-baku/",  # the post's <link>
        "/2024/01/15/hello-baku",  # without the slash
        "/?p=10",
        "/2024/01/hello-baku/",  # /%year%/%monthnum%/%postname%/
        "/news/economy/hello-baku/",  # /%category%/%postname%/
        "/category/news/economy/hello-baku/",
        "/archives/10",
        "/hello-baku/",  # /%postname%/
        "/2024/01/15/hello-baku/feed/",
    ],
)
def test_every_old_address_of_a_post_is_one_301_to_its_page(imported, client, path):
    assert _follow_once(client, path) == _post(10).get_absolute_url() or path.endswith("feed/")


def test_a_percent_encoded_slug_redirects(imported, client):
    target = _follow_once(client, "/2024/02/01/%c5%9fu%c5%9fa-spring/")
    assert target == _post(11).get_absolute_url() == "/culture/shusha-spring/"


def test_archives_and_feeds_redirect_to_their_digest_pages(imported, client):
    economy = Category.objects.get(slug="economy")
    assert _follow_once(client, "/category/news/economy/") == economy.get_absolute_url()
    assert _follow_once(client, "/?cat=3") == economy.get_absolute_url()
    assert _follow_once(client, "/category/news/economy/feed/") == "/feeds/category/economy/rss/"
    gence = Tag.objects.get(name="Gəncə")
    assert _follow_once(client, "/tag/gəncə/") == gence.get_absolute_url() == "/tag/gence/"
    assert _follow_once(client, "/?author=1") == "/author/anar/"
    assert _follow_once(client, "/feed/") == "/feeds/rss/"


def test_a_page_redirects_by_its_id(imported, client):
    team = FlatPage.objects.get(url="/who-we-are/team/")
    assert _follow_once(client, "/?page_id=31") == team.url


def test_the_redirect_follows_the_article_where_it_is_now(imported, client):
    article = _post(10)
    services.article_move(article=article, category=Category.objects.get(slug="culture"))

    response = client.get("/2024/01/15/hello-baku/")

    assert response.status_code == 301
    assert response["Location"] == "/culture/hello-baku/"  # one hop, not through the old one


def test_an_unpublished_or_future_article_keeps_its_old_address_a_404(imported, client):
    assert client.get("/?p=12").status_code == 404  # as WordPress answers a future post
    assert client.get("/?p=17").status_code == 404  # trashed, so never imported
    assert client.get("/?p=999").status_code == 200  # unknown: the home page, as asked
    assert client.get("/summit-next-year/").status_code == 404
    services.article_unpublish(article=_post(10))
    assert client.get("/2024/01/15/hello-baku/").status_code == 404


def test_a_redirect_is_kept_by_shared_caches_not_browsers(imported, client):
    response = client.get("/2024/01/15/hello-baku/")
    assert response.status_code == 301
    assert "s-maxage" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    response = client.get("/?p=10")
    assert response.status_code == 301
    assert "s-maxage" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_an_unknown_address_is_still_a_404_in_few_queries(
    imported, client, django_assert_max_num_queries
):
    assert OldAddress.objects.count() > 50
    with django_assert_max_num_queries(12):
        assert client.get("/2019/01/01/never-was/").status_code == 404
    # a query the home page does not know is not looked up at all
    with django_assert_max_num_queries(30):
        assert client.get("/?utm_source=x").status_code == 200


def test_an_old_address_that_digest_now_serves_is_left_to_digest(imported, client):
    """/who-we-are/ was the WordPress page and is Digest's page: no redirect loop."""
    response = client.get("/who-we-are/")
    assert response.status_code == 200 and "We are a small newsroom." in response.text


def test_an_editors_redirect_wins_over_an_old_address(imported, client):
    from django.contrib.redirects.models import Redirect
    from django.contrib.sites.models import Site

    Redirect.objects.create(
        site=Site.objects.get_current(), old_path="/2024/01/15/hello-baku/", new_path="/news/"
    )
    response = client.get("/2024/01/15/hello-baku/")
    assert response.status_code == 301 and response["Location"] == "/news/"


def test_a_static_page_wins_over_a_posts_old_slug(imported, client):
    """A post whose slug was “privacy-policy” leaves /privacy-policy/ to the site's page."""
    OldAddress.objects.create(
        path="/privacy-policy",
        content_type=ContentType.objects.get_for_model(Article),
        object_id=_post(10).pk,
    )
    response = client.get("/privacy-policy/")
    assert response.status_code == 200


def test_an_old_permalink_is_one_small_statement(imported, client):
    """The address row, the article's address and visibility (never its body: 6 KB a post
    read and thrown away) and the look for an editor's redirect or a static page there, in
    one statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/2024/01/15/hello-baku/").status_code == 301
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 1, statements
    assert "body" not in statements[0]
