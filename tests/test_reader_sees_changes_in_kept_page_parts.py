"""Parts of pages kept under the content version (issue 21: uncached pages cheaper) are made
once per version, and every change a reader should see shows in them on the next request."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services


@pytest.fixture(autouse=True)
def _page_cache(page_cache_on):
    """Every test here with the page cache on (tests/conftest.py)."""


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


def menu(html):
    return html.split('<nav class="menu"')[1].split("</nav>")[0]


def test_header_and_footer_are_made_once_per_version_and_show_each_pages_place(
    client, make_article, make_category, admin_client
):
    from articles.models import SiteIdentity

    SiteIdentity.objects.update_or_create(pk=1, defaults={"name": "Caspian Digest"})
    energy = make_category("Energy")
    article = make_article(category=energy)
    home, _ = miss(client, "/")
    section, _ = miss(client, energy.get_absolute_url())
    page, _ = miss(client, article.get_absolute_url())
    assert 'href="/" aria-current="page"' in menu(home)
    assert f'href="{energy.get_absolute_url()}" aria-current="page"' in menu(section)
    assert "aria-current" not in menu(section).split(energy.get_absolute_url())[0]
    assert "aria-current" not in menu(page)
    # The same header for every other page: the kept one, no queries for the chrome.
    other = make_article(category=energy)
    miss(client, other.get_absolute_url())
    _, kept_queries = miss(client, article.get_absolute_url())
    energy.name = "Energy and climate"
    energy.save()
    services.site_identity_save(identity=SiteIdentity.objects.get(pk=1), name="Baku Digest")
    html, queries = miss(client, article.get_absolute_url())
    assert queries > kept_queries
    assert "Energy and climate" in menu(html)
    footer = html.split('<footer class="site-footer">')[1]
    assert "Baku Digest" in footer and "Caspian Digest" not in html
    signed_in = admin_client.get(article.get_absolute_url()).content.decode()
    assert "Sign out" in signed_in and "Sign out" not in html


def test_a_search_page_header_shows_its_own_words(client, make_article):
    make_article(title="Pipelines across the Caspian")
    miss(client, "/")
    html, _ = miss(client, "/search/?q=pipelines")
    assert 'value="pipelines"' in html
    html, _ = miss(client, "/search/?q=caspian")
    assert 'value="caspian"' in html and 'value="pipelines"' not in html


def sidebar(html):
    return html.split('id="new-title"')[1].split("</aside>")[0]


def test_new_articles_sidebar_and_head_links_follow_the_next_change(client, make_article):
    from articles.models import SiteIdentity

    SiteIdentity.objects.update_or_create(pk=1, defaults={"name": "Caspian Digest"})
    first, second = make_article(title="First piece"), make_article(title="Second piece")
    html, _ = miss(client, first.get_absolute_url())
    assert "Second piece" in sidebar(html) and "First piece" not in sidebar(html)
    assert 'title="Caspian Digest (RSS)"' in html
    html, _ = miss(client, second.get_absolute_url())
    assert "First piece" in sidebar(html) and "Second piece" not in sidebar(html)

    make_article(title="Third piece, just in")
    services.site_identity_save(identity=SiteIdentity.objects.get(pk=1), name="Baku Digest")
    html, _ = miss(client, first.get_absolute_url())
    assert "Third piece, just in" in sidebar(html)
    assert 'title="Baku Digest (RSS)"' in html and "Caspian Digest" not in html


def test_the_home_pages_blocks_are_placed_once_per_version_and_follow_a_publish(
    client, make_article, make_category
):
    culture = make_category("Culture")
    for n in range(14):
        make_article(title=f"Older story {n}", category=culture,
                     published_at=timezone.now() - timedelta(days=2, hours=n))  # fmt: skip
    first, first_queries = miss(client, "/")
    again, again_queries = miss(client, "/")
    assert again == first and again_queries < first_queries
    make_article(title="Fresh from the culture desk", category=culture, is_featured=True)
    html, _ = miss(client, "/")
    assert html.count("Fresh from the culture desk") >= 1 and html != first
    lead = html.split('class="lead')[1].split("</article>")[0] if 'class="lead' in html else html
    assert "Fresh from the culture desk" in lead
