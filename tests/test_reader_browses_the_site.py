"""A reader browses every page type, with the seed content and with a big generated site;
every page stays within a small, constant number of SQL queries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Author, Source, Tag

MAX_QUERIES = 10


def page(client, url, django_assert_max_num_queries, status=200):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def seed_opinion():
    return Article.objects.get(category__slug="opinion")


def test_home_with_the_seeds_leads_with_the_newest_and_lists_the_other_as_new(
    client, seeded, django_assert_max_num_queries
):
    """Two articles: the newest leads, the other is under "New articles", and neither shows
    twice (so the opinion column, which would repeat it, stays out: see the test below)."""
    html = page(client, "/", django_assert_max_num_queries)
    opinion = seed_opinion()
    assert '<section class="front"' in html
    assert "New articles" in html and "Nothing yet" not in html
    new = html.split('id="new-title"')[1].split("</section>")[0]
    assert opinion.get_absolute_url() in new
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert main.count(f'class="card-title"><a href="{opinion.get_absolute_url()}"') == 0
    assert main.count(f'class="compact-title" href="{opinion.get_absolute_url()}"') == 1
    assert "Daily Digest" in html and "<title>Aze.Media – Daily Digest</title>" in html


def test_home_with_many_articles_leads_with_the_featured_story_and_pages_on(
    client, big_site, django_assert_max_num_queries
):
    html = page(client, "/", django_assert_max_num_queries)
    lead = big_site.articles[0]  # featured (0 % 17) and newest
    lead_block = html.split('<div class="lead">')[1].split("</div>")[0]
    assert lead.title in lead_block
    for category in ("Opinion", "News", "Culture", "Defense"):
        assert f'id="section-{category.lower()}"' in html
    assert 'class="section-block opinion-column"' in html
    assert "Secret draft" not in html and "Scheduled pipelines" not in html
    assert 'rel="next" href="?page=2"' in html
    more = page(client, "/?page=2", django_assert_max_num_queries)
    assert "More articles" in more and big_site.articles[20].title in more


def test_category_page_lists_its_subcategories_with_breadcrumb_and_pages(
    client, big_site, django_assert_max_num_queries
):
    html = page(client, "/category/news/", django_assert_max_num_queries)
    assert '<nav class="breadcrumb"' in html
    assert 'href="/category/economy/"' in html and 'href="/category/energy/"' in html
    titles = re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', html)
    assert len(titles) == 20 and titles == sorted(titles)  # newest first = lowest number
    family = {c.pk for c in big_site.categories[:3]}
    expected = [a.title for a in big_site.articles if a.category_id in family][:20]
    assert titles == expected
    last = page(client, "/category/news/?page=6", django_assert_max_num_queries)
    assert "Page 6 of 6" in last
    child = page(client, "/category/energy/", django_assert_max_num_queries)
    assert '<a href="/category/news/">News</a>' in child  # breadcrumb back to the parent


def test_every_page_of_a_parent_category_continues_newest_first_across_its_children(
    client, big_site, django_assert_max_num_queries
):
    family = {c.pk for c in big_site.categories[:3]}
    expected = [a.title for a in big_site.articles if a.category_id in family]
    seen = []
    for number in range(1, 7):
        html = page(client, f"/category/news/?page={number}", django_assert_max_num_queries)
        seen += re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', html)
    assert seen == expected


def test_home_section_block_includes_sub_categories_left_out_of_the_menu(
    client, make_article, make_category, django_assert_max_num_queries
):
    world = make_category("World", menu_order=1)
    hidden = make_category("Archive desk", parent=world, is_in_menu=False)
    now = timezone.now()
    # Newer stories elsewhere fill the lead, "New articles" and the featured row (no article
    # shows twice on the page), so the World block shows its own newest.
    elsewhere = make_category("Elsewhere", menu_order=2)
    for n in range(12):
        make_article(
            title=f"Elsewhere {n}", category=elsewhere, published_at=now + timedelta(minutes=n - 30)
        )
    make_article(title="World story", category=world, published_at=now - timedelta(days=2))
    newest = make_article(
        title="From the archive desk", category=hidden, published_at=now - timedelta(hours=1)
    )
    html = page(client, "/", django_assert_max_num_queries)
    block = html.split('id="section-world"')[1].split("</section>")[0]
    assert newest.title in block and "World story" in block
    assert 'href="/category/archive-desk/"' not in html.split("</header>")[0]


def test_category_page_of_the_seed_shows_its_article(client, seeded, django_assert_max_num_queries):
    html = page(client, "/category/opinion/", django_assert_max_num_queries)
    assert seed_opinion().title in html


def test_author_page_lists_bylines_and_translations_separately(
    client, big_site, django_assert_max_num_queries
):
    writer = big_site.writers[1]
    html = page(client, writer.get_absolute_url(), django_assert_max_num_queries)
    assert f'<h1 class="page-title">{writer.name}</h1>' in html
    assert Article.objects.published().by_author(writer).first().title in html
    translator = page(client, big_site.translator.get_absolute_url(), django_assert_max_num_queries)
    translations = translator.split('id="translations-title"')[1]
    assert big_site.articles[0].title in translations  # 0 % 5: a translation


def test_seed_author_pages_show_byline_and_original_author(
    client, seeded, django_assert_max_num_queries
):
    html = page(client, "/author/azemedia/", django_assert_max_num_queries)
    assert seed_opinion().title in html and "Organisation" in html
    assert page(client, "/author/azer-aykhan/", django_assert_max_num_queries).count("Azer Aykhan")


def test_source_page_lists_every_piece_from_the_outlet(
    client, big_site, django_assert_max_num_queries
):
    html = page(client, big_site.outlet.get_absolute_url(), django_assert_max_num_queries)
    assert "Globalinfo.az" in html and big_site.articles[0].title in html
    seed_free = Source.objects.get(slug="globalinfo-az")
    assert Article.objects.published().from_source(seed_free).count() > 20
    assert "Page 1 of" in html


def test_tag_page_lists_tagged_articles_only(client, big_site, django_assert_max_num_queries):
    tag = Tag.objects.get(name="Topic 3")
    html = page(client, tag.get_absolute_url(), django_assert_max_num_queries)
    assert '<h1 class="page-title">Topic 3</h1>' in html
    first = Article.objects.published().tagged(tag).newest_first().first()
    assert first.title in html
    assert "Secret draft" not in html


def test_daily_monthly_and_yearly_archives_show_that_periods_digest(
    client, seeded, django_assert_max_num_queries
):
    opinion = seed_opinion()
    day = timezone.localtime(opinion.published_at).date()
    html = page(client, f"/archive/{day:%Y/%m/%d}/", django_assert_max_num_queries)
    assert "The digest of December 15, 2023" in html and opinion.title in html
    assert "Azerbaijani President" not in html
    month = page(client, f"/archive/{day:%Y/%m}/", django_assert_max_num_queries)
    assert "December 2023" in month and opinion.title in month
    year = page(client, "/archive/2024/", django_assert_max_num_queries)
    assert "Azerbaijani President" in year and opinion.title not in year
    assert client.get("/archive/2024/02/31/").status_code == 404


def test_archive_of_a_busy_day_with_the_generated_site(
    client, big_site, django_assert_max_num_queries
):
    day = timezone.localdate() - timedelta(days=3)
    html = page(client, f"/archive/{day:%Y/%m/%d}/", django_assert_max_num_queries)
    expected = Article.objects.published().on_day(day)
    assert expected.count() >= 3
    for article in expected:
        assert article.title in html


def test_static_pages_are_linked_from_header_and_footer(
    client, seeded, django_assert_max_num_queries
):
    html = page(client, "/who-we-are/", django_assert_max_num_queries)
    assert "socio-cultural digest" in html
    header, footer = html.split("<main")[0], html.split("<footer")[1]
    assert 'href="/who-we-are/"' in header
    for url in ("/who-we-are/", "/privacy-policy/", "/terms-and-conditions/", "/cookies-policy/"):
        assert f'href="{url}"' in footer
    privacy = page(client, "/privacy-policy/", django_assert_max_num_queries)
    assert '<h1 class="page-title">Privacy Policy</h1>' in privacy


def test_menu_comes_from_the_database_with_news_opening_to_its_sections(client, seeded):
    html = client.get("/").content.decode()
    menu = html.split('<nav class="menu"')[1].split("</nav>")[0]
    submenu = menu.split('id="submenu-news"')[1].split("</ul>")[0]
    assert [name for name in re.findall(r">([^<>]+)</a>", submenu)] == [
        "Economy", "Energy", "Climate and Ecology",
    ]  # fmt: skip
    assert menu.index(">COP29<") < menu.index(">Opinion<") < menu.index(">Karabakh<")


def test_chrome_has_search_font_controls_theme_switch_sign_in_and_cookie_notice(client, seeded):
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html
    assert 'data-font-step="-1"' in html and 'data-font-step="1"' in html
    assert "data-theme-toggle" in html
    assert 'href="/accounts/login/"' in html
    notice = html.split("data-cookie-notice")[1].split("</div>")[0]
    assert 'href="/privacy-policy/">Privacy Policy</a>' in notice
    assert "Terms of Use" in notice and "Accept" in notice
    assert "editor@aze.media" in html
    assert "<script>" not in html and " onclick=" not in html and " style=" not in html


def test_sign_in_and_password_reset_pages_are_in_the_site_style(client, seeded):
    login = client.get("/accounts/login/").content.decode()
    assert '<h1 class="page-title">Sign in</h1>' in login and "Aze.Media" in login
    assert 'href="/accounts/password_reset/"' in login
    reset = client.get("/accounts/password_reset/").content.decode()
    assert "Reset your password" in reset and 'class="site-footer"' in reset


@pytest.mark.parametrize("query", ["?page=abc", "?page=0", "?page=999", "?page=-1"])
def test_a_bad_page_number_is_not_found_not_an_error(client, seeded, query):
    for url in ("/", "/category/opinion/", "/author/azemedia/", "/search/?q=Baku&x=1"):
        separator = "&" if "?" in url else ""
        target = url + (separator + query[1:] if separator else query)
        assert client.get(target).status_code == 404, target


def test_unknown_addresses_get_the_friendly_not_found_page(client, seeded):
    response = client.get("/no-such-section/no-such-article/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'action="/search/"' in html and "Aze.Media" in html


def test_server_error_page_is_friendly(client, seeded):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and "/static/css/site.css" in html


def test_every_author_and_source_page_of_the_seed_renders(client, seeded):
    for row in [*Author.objects.all(), *Source.objects.all()]:
        assert row.name in client.get(row.get_absolute_url()).content.decode()
