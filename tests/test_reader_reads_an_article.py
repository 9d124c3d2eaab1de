"""A reader opens an article: everything the seed page shows, the provenance box, related
and new articles, previous/next, and the machine-readable data around it."""

import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from articles import services
from articles.models import Article
from articles.views import article_context

MAX_QUERIES = 10


def get(client, article, django_assert_max_num_queries):
    url = article.get_absolute_url()
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def jsonld(html):
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )


def test_seed_opinion_page_shows_label_title_byline_dates_and_provenance_not_a_lone_caption(
    client, seeded, django_assert_max_num_queries
):
    article = Article.objects.get(category__slug="opinion")
    html = get(client, article, django_assert_max_num_queries)
    assert '<a class="category-label" href="/category/opinion/">Opinion</a>' in html
    assert f'<h1 class="article-title">{article.title}</h1>' in html
    assert article.standfirst in html
    assert 'By <a href="/author/azemedia/" rel="author">AzeMedia</a>' in html
    assert '<time datetime="2023-12-15' in html and "December 15, 2023" in html
    assert f"{article.reading_minutes} min read" in html
    # The seed page has a caption but no picture: no caption of nothing is printed.
    assert article.image_caption and not article.featured_image
    assert article.image_caption not in html and "caption-only" not in html
    provenance = html.split('<aside class="provenance"')[1].split("</aside>")[0]
    assert "Translated from" in provenance and ">Globalinfo.az</a>" in provenance
    assert "Azer Aykhan" in provenance and "Azerbaijani" in provenance
    assert "New articles" in html


def test_translation_is_its_own_canonical_and_says_what_it_translates(
    client, seeded, django_assert_max_num_queries
):
    article = Article.objects.get(category__slug="opinion")
    html = get(client, article, django_assert_max_num_queries)
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
    data = jsonld(html)
    assert data["@type"] == "NewsArticle" and data["headline"] == article.title[:110]
    assert data["inLanguage"] == "en" and data["datePublished"].startswith("2023-12-1")
    assert data["author"][0]["name"] == "AzeMedia"
    assert data["publisher"]["name"] == "Aze.Media"
    assert data["image"][0].startswith("http://testserver/")
    assert data["translationOfWork"]["author"]["name"] == "Azer Aykhan"
    assert data["isBasedOn"]["inLanguage"] == "az"
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:image" content="http://testserver/brand/share.png?v=' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_reprint_points_its_canonical_link_at_the_original(
    client, make_article, django_assert_max_num_queries
):
    source = services.source_get_or_create(name="Daily Sabah", url="https://www.dailysabah.com/")
    article = make_article(
        translation={"source": source, "source_url": "https://www.dailysabah.com/x/1"}
    )
    html = get(client, article, django_assert_max_num_queries)
    assert '<link rel="canonical" href="https://www.dailysabah.com/x/1">' in html
    assert "First published by" in html and "Translated from" not in html
    assert "translationOfWork" not in jsonld(html)


def test_editors_canonical_override_wins(client, make_article, django_assert_max_num_queries):
    article = make_article(canonical_url="https://example.org/elsewhere")
    html = get(client, article, django_assert_max_num_queries)
    assert '<link rel="canonical" href="https://example.org/elsewhere">' in html


def test_translator_is_named_and_linked(client, make_article, make_author):
    translator = make_author("Leyla Translator")
    source = services.source_get_or_create(name="Report.az")
    article = make_article(
        translation={"source": source, "source_language": "az", "translator": translator,
                     "original_title": "Orijinal"},
    )  # fmt: skip
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<a href="{translator.get_absolute_url()}">Leyla Translator</a>' in html
    assert "Orijinal" in html
    assert jsonld(html)["translator"]["name"] == "Leyla Translator"


def test_you_might_also_like_puts_shared_tags_first_then_category_never_itself(
    client, make_article, make_category, django_assert_max_num_queries
):
    home, other = make_category("Home news"), make_category("Elsewhere")
    article = make_article(category=home, tags=["Gas", "Baku"])
    same_category = make_article(title="Same section newest", category=home)
    one_tag = make_article(title="One shared tag", category=other, tags=["Gas"])
    two_tags = make_article(title="Two shared tags", category=other, tags=["Gas", "Baku"])
    make_article(title="Unrelated piece", category=other)
    make_article(title="Draft relative", category=home, tags=["Gas", "Baku"],
                 status=Article.Status.DRAFT, published_at=None)  # fmt: skip
    html = get(client, article, django_assert_max_num_queries)
    related = html.split('id="related-title"')[1].split("</section>")[0]
    titles = re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', related)
    assert titles == [two_tags.title, one_tag.title, same_category.title]
    assert article.title not in related and "Draft relative" not in html
    assert f'href="{article.tags.get(name="Gas").get_absolute_url()}" rel="tag">Gas</a>' in html


def test_previous_and_next_stay_within_the_category(client, make_article, make_category):
    section, other = make_category("Section"), make_category("Other")
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    older = make_article(title="Older one", category=section, published_at=now - timedelta(days=3))
    make_article(title="Other section", category=other, published_at=now - timedelta(days=2))
    middle = make_article(
        title="Middle one", category=section, published_at=now - timedelta(days=1)
    )
    newer = make_article(title="Newer one", category=section, published_at=now - timedelta(hours=1))
    html = client.get(middle.get_absolute_url()).content.decode()
    nav = html.split('<nav class="prev-next"')[1].split("</nav>")[0]
    assert f'rel="prev" href="{older.get_absolute_url()}"' in nav
    assert f'rel="next" href="{newer.get_absolute_url()}"' in nav
    assert "Other section" not in nav


def test_featured_image_has_caption_credit_and_responsive_srcset(
    client, make_article, settings, tmp_path
):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), "#336699").save(buffer, "JPEG")
    article = make_article(
        featured_image=SimpleUploadedFile("pic.jpg", buffer.getvalue(), "image/jpeg"),
        image_alt="Two presidents shaking hands",
        image_caption="The leaders in Baku",
        image_credit="Photo: APA",
    )
    article.refresh_from_db()
    assert article.image_renditions, "the service makes renditions on save"
    html = client.get(article.get_absolute_url()).content.decode()
    figure = html.split('<figure class="featured-image">')[1].split("</figure>")[0]
    for width, path in article.image_renditions.items():
        assert f"/media/{path} {width}w" in figure
    assert 'sizes="' in figure and 'alt="Two presidents shaking hands"' in figure
    assert 'width="1600"' in figure and 'height="900"' in figure
    assert "The leaders in Baku" in figure and "Photo: APA" in figure
    assert '<meta property="og:image" content="http://testserver/media/' in html


def test_big_site_article_stays_within_the_query_budget(
    client, big_site, django_assert_max_num_queries
):
    article = big_site.articles[10]
    html = get(client, article, django_assert_max_num_queries)
    assert "You Might Also Like" in html and "Secret draft" not in html
    assert html.count('class="card-title"') == 4


def test_article_context_renders_an_unpublished_article_for_a_preview(rf, make_article):
    from django.template.loader import render_to_string

    draft = make_article(title="Draft to preview", status=Article.Status.DRAFT, published_at=None)
    request = rf.get("/preview/")
    html = render_to_string(
        "articles/article_detail.html", article_context(request, draft), request=request
    )
    assert "Draft to preview" in html and "Not published" in html
