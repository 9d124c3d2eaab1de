"""Parts of pages kept under the content version (issue 21: uncached pages cheaper) are made
once per version, and every change a reader should see shows in them on the next request."""

from datetime import timedelta

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGECACHE_ENABLED = True
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()
    caches["fragments"].clear()


def miss(client, url):
    """*url* rendered afresh under the current content version: the stored page is dropped
    (the kept parts stay), so the request renders it, as a cache-busting request would."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-Page-Cache") != "hit"
    return response.content.decode(), len(queries)


def prev_next(html):
    return html.split('<nav class="prev-next"')[1].split("</nav>")[0]


def related(html):
    return html.split('id="related-title"')[1].split("</section>")[0]


def test_neighbours_and_related_are_read_once_per_version_and_follow_a_publish(
    client, make_article, make_category
):
    section, other = make_category("Section"), make_category("Other")
    now = timezone.now()
    older = make_article(title="Older one", category=section, published_at=now - timedelta(days=3))
    article = make_article(
        title="Middle one", category=section, tags=["Gas"], published_at=now - timedelta(days=1)
    )
    url = article.get_absolute_url()
    first, first_queries = miss(client, url)
    again, again_queries = miss(client, url)
    assert again == first and again_queries < first_queries
    assert f'rel="prev" href="{older.get_absolute_url()}"' in prev_next(first)
    assert 'rel="next"' not in prev_next(first)

    newer = make_article(title="Newer one", category=section, published_at=now)
    cousin = make_article(title="A cousin on gas", category=other, tags=["Gas"])
    html, _ = miss(client, url)
    assert f'rel="next" href="{newer.get_absolute_url()}"' in prev_next(html)
    assert cousin.title in related(html)

    services.article_unpublish(article=newer)
    html, _ = miss(client, url)
    assert newer.title not in html
    assert 'rel="next"' not in prev_next(html)
