"""What a reader does in a real browser (Debian's Chromium through Playwright): the menu,
an article, the text size, the theme, the cookie notice, search and paging. No page may log
a console error."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server):
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], errors


def test_reader_opens_the_menu_and_reaches_a_sub_category(page, site):
    page.goto(site + "/")
    energy = page.locator("#submenu-news a", has_text="Energy")
    assert not energy.is_visible()
    page.hover(".menu-list a:text-is('News')")
    energy.click()
    page.wait_for_url("**/category/energy/")
    assert page.locator("h1").inner_text() == "Energy"


def test_reader_reaches_a_sub_category_by_keyboard(page, site):
    page.goto(site + "/")
    page.focus(".menu-list a:text-is('News')")
    page.keyboard.press("Tab")  # the sub-menu toggle
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Economy"
    page.keyboard.press("Enter")
    page.wait_for_url("**/category/economy/")


def test_reader_opens_an_article_from_the_home_page(page, site):
    opinion = Article.objects.get(category__slug="opinion")
    page.goto(site + "/")
    page.locator(f".card-title a[href='{opinion.get_absolute_url()}']").first.click()
    page.wait_for_url(f"**{opinion.get_absolute_url()}")
    assert page.locator("h1").inner_text() == opinion.title
    assert "Translated from Globalinfo.az" in page.locator(".provenance").inner_text()


def test_text_size_is_kept_on_the_next_page(page, site):
    page.goto(site + "/")
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    before = page.evaluate(size)
    page.click("button[data-font-step='1']")
    page.click("button[data-font-step='1']")
    bigger = page.evaluate(size)
    assert bigger > before
    page.goto(site + "/category/opinion/")
    assert page.evaluate(size) == bigger
    page.click("button[data-font-step='-1']")
    assert page.evaluate(size) < bigger


def test_reader_switches_the_theme_and_it_stays(page, site):
    page.emulate_media(color_scheme="light")
    page.goto(site + "/")
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    toggle = page.locator("[data-theme-toggle]")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate(background) != "rgb(255, 255, 255)"
    page.goto(site + "/who-we-are/")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.locator("[data-theme-toggle]").click()
    assert page.evaluate(background) == "rgb(255, 255, 255)"


def test_theme_follows_the_system_setting(page, site):
    page.emulate_media(color_scheme="dark")
    page.goto(site + "/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    assert page.locator("[data-theme-toggle]").get_attribute("aria-pressed") == "true"


def test_cookie_notice_once_accepted_stays_away(page, site):
    page.goto(site + "/")
    notice = page.locator("[data-cookie-notice]")
    assert notice.is_visible()
    assert "you agree to the Privacy Policy and Terms of Use" in notice.inner_text()
    page.click("[data-cookie-accept]")
    assert not notice.is_visible()
    page.goto(site + "/category/news/")
    assert not page.locator("[data-cookie-notice]").is_visible()


def test_search_for_a_word_of_the_seed_body_lands_on_the_article(page, site):
    opinion = Article.objects.get(category__slug="opinion")
    page.goto(site + "/")
    page.fill("#site-search", "neighbors")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=neighbors")
    page.locator(".card-title a").first.click()
    page.wait_for_url(f"**{opinion.get_absolute_url()}")
    assert page.locator("h1").inner_text() == opinion.title


def test_reader_pages_through_a_category(page, site):
    from articles import services
    from articles.models import Category

    culture = Category.objects.get(slug="culture")
    now = timezone.now()
    for i in range(25):
        services.article_save(
            title=f"Culture piece {i:02d}",
            category=culture,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=i + 1),
        )
    page.goto(site + "/category/culture/")
    assert "Culture piece 00" in page.locator(".article-list").inner_text()
    page.click(".pagination a[rel='next']")
    page.wait_for_url("**/category/culture/?page=2")
    listing = page.locator(".article-list").inner_text()
    assert "Culture piece 24" in listing and "Culture piece 00" not in listing
    assert "Page 2 of 2" in page.locator(".pagination").inner_text()
    page.click(".pagination a[rel='prev']")
    page.wait_for_url("**/category/culture/")


def test_the_site_works_on_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(site + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling"
    page.locator(".menu-list a:text-is('Opinion')").click()
    page.wait_for_url("**/category/opinion/")
    context.close()
