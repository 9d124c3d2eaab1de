"""What a reader does in a real browser (Debian's Chromium through Playwright): the menu,
an article, the text size, the theme, the cookie notice, search and paging. No page may log
a console error."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.browser import CHROMIUM, CHROMIUM_ARGS, between_requests, needs_chromium

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
    url = opinion.get_absolute_url()
    # A card's headline, or the same story in the "New articles" list (each story once).
    page.locator(f".card-title a[href='{url}'], a.compact-title[href='{url}']").first.click()
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


@pytest.fixture
def phone(browser):
    """A 390 px wide phone, reporting console errors like `page`."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda e: errors.append(str(e)))
    yield phone
    context.close()
    assert errors == [], errors


def test_the_site_works_on_a_phone(phone, site):
    phone.goto(site + "/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling"
    phone.locator(".menu-button").click()
    phone.locator(".drawer-list a:text-is('Opinion')").click()
    phone.wait_for_url("**/category/opinion/")


def test_on_a_phone_the_menu_button_opens_the_whole_category_tree(phone, site):
    phone.goto(site + "/")
    assert not phone.locator("nav.menu").is_visible()  # no clipped sideways strip
    button = phone.locator("summary.menu-button")
    assert button.is_visible() and button.text_content().strip() == "Menu"
    energy = phone.locator(".drawer-list a:text-is('Energy')")
    assert not energy.is_visible()
    button.click()
    drawer = phone.locator(".drawer-list")
    names = [n.strip() for n in drawer.locator("a").all_inner_texts()]
    assert names[:4] == ["Home", "COP29", "Opinion", "News"]
    assert {"Economy", "Energy", "Climate and Ecology", "Diaspora", "Karabakh"} <= set(names)
    box = drawer.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the whole menu fits the screen"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    energy.click()
    phone.wait_for_url("**/category/energy/")
    assert phone.locator("h1").inner_text() == "Energy"
    assert phone.locator(".drawer-list a[aria-current='page']").text_content() == "Energy"


def test_on_a_phone_the_menu_opens_and_closes_from_the_keyboard(phone, site):
    phone.goto(site + "/")
    phone.focus("summary.menu-button")
    phone.keyboard.press("Enter")
    assert phone.locator(".menu-drawer").get_attribute("open") is not None
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Home"
    phone.keyboard.press("Escape")
    assert phone.locator(".menu-drawer").get_attribute("open") is None
    assert phone.evaluate("document.activeElement.classList.contains('menu-button')")
    # Screen readers hear a disclosure button that says whether it is open.
    snapshot = phone.locator("summary.menu-button").aria_snapshot()
    assert "Menu" in snapshot


def test_on_a_phone_the_menu_works_without_javascript(browser, site):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
    )
    phone = context.new_page()
    phone.goto(site + "/")
    phone.locator("summary.menu-button").click()
    phone.locator(".drawer-list a:text-is('Climate and Ecology')").click()
    phone.wait_for_url("**/category/climate-and-ecology/")
    context.close()


def test_on_a_wide_screen_the_menu_is_the_row_of_sections(page, site):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(site + "/")
    assert page.locator("nav.menu").is_visible()
    assert not page.locator("summary.menu-button").is_visible()


# --- Pictures on every card, loaded lazily, nothing shifting -------------------------------------

SAMPLE = __import__("pathlib").Path(__file__).parent / "data" / "featured.jpg"
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
LAYOUT_SHIFT = """new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) { if (!entry.hadRecentInput) total += entry.value; }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.fixture
def illustrated(site, settings, tmp_path):
    """Twenty culture stories, each with a picture; uploaded files served by the test server."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles import services
    from articles.models import Category

    settings.MEDIA_ROOT = tmp_path
    settings.ROOT_URLCONF = "tests.urls_with_media"
    culture = Category.objects.get(slug="culture")
    now = timezone.now()
    for i in range(20):
        services.article_save(
            title=f"Pictured culture story {i:02d}",
            standfirst="A festival in pictures.",
            category=culture,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=i + 1),
            featured_image=SimpleUploadedFile(f"p{i}.jpg", SAMPLE.read_bytes(), "image/jpeg"),
            image_alt="Dancers on a stage",
        )
    return site


def image_states(page):
    return page.eval_on_selector_all(
        ".article-list img",
        "images => images.map(i => ({loading: i.loading, loaded: i.complete && i.naturalWidth > 0,"
        " top: i.getBoundingClientRect().top + scrollY, src: i.currentSrc, sizes: i.sizes}))",
    )


def test_cards_show_their_pictures_lazily_and_nothing_shifts(phone, illustrated):
    phone.goto(illustrated + "/category/culture/")
    phone.wait_for_load_state("networkidle")
    images = image_states(phone)
    assert len(images) == 20
    assert all(i["loading"] == "lazy" for i in images)
    assert images[0]["loaded"], "the first picture is on screen"
    far = [i for i in images if i["top"] > 844 + 1500]
    assert far and not any(i["loaded"] for i in far), ("pictures far below wait", images)
    assert all(i["sizes"] == "(min-width: 40rem) 12rem, 6.5rem" for i in images)
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    phone.wait_for_function(
        "[...document.querySelectorAll('.article-list img')].slice(-1)[0].naturalWidth > 0"
    )
    last = image_states(phone)[-1]
    assert "-480w" in last["src"], "a small rendition for a small picture"
    assert phone.evaluate(LAYOUT_SHIFT) == 0


def test_the_lead_picture_is_not_lazy_and_the_home_page_does_not_shift(browser, illustrated):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    desktop = context.new_page()
    desktop.goto(illustrated + "/")
    desktop.wait_for_load_state("networkidle")
    lead = desktop.locator(".card-lead img")
    assert lead.get_attribute("loading") is None and lead.get_attribute("fetchpriority") == "high"
    assert desktop.evaluate("document.querySelector('.card-lead img').naturalWidth") > 0
    desktop.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    desktop.wait_for_load_state("networkidle")
    assert desktop.evaluate(LAYOUT_SHIFT) == 0
    context.close()


# --- Most read: the page counts itself once ----------------------------------------------------


def readings(article):
    """The readings counted for *article*, read between two of the live server's requests: the
    beacon is answered while the test polls, and with SQLite in memory both share one
    connection ("database table is locked" when the count was read beside its writing)."""
    from articles.models import ArticleReads

    with between_requests():
        return sum(ArticleReads.objects.filter(article=article).values_list("count", flat=True))


def wait_for_readings(article, expected):
    import time

    for _ in range(50):
        if readings(article) == expected:
            return
        time.sleep(0.1)
    assert readings(article) == expected


def test_an_article_counts_itself_once_per_reading_behind_the_page_cache(browser, site, settings):
    from django.core.cache import cache

    settings.PAGECACHE_ENABLED = True
    cache.clear()
    article = Article.objects.get(category__slug="opinion")
    url = site + article.get_absolute_url()
    first = browser.new_context(user_agent=READER_AGENT)
    reader = first.new_page()
    with reader.expect_request(lambda r: r.method == "POST" and "/read/" in r.url) as beacon:
        reader.goto(url)
    assert beacon.value.url == f"{site}/read/{article.pk}/"
    wait_for_readings(article, 1)
    # The same reader again: the page may come from the browser's own cache, and counts.
    with reader.expect_response(lambda r: "/read/" in r.url) as answer:
        reader.goto(url)
    assert answer.value.status == 204
    wait_for_readings(article, 2)
    assert first.cookies() == [], "no cookie of any kind"
    first.close()
    # Another reader gets the page from the page cache, and counts too.
    second = browser.new_context(user_agent=READER_AGENT)
    other = second.new_page()
    with other.expect_response(lambda r: "/read/" in r.url):
        response = other.goto(url)
    assert response.headers.get("x-page-cache") == "hit"
    wait_for_readings(article, 3)
    second.close()
    cache.clear()


def test_a_headless_robot_sends_the_beacon_but_is_not_counted(page, site):
    article = Article.objects.get(category__slug="opinion")
    with page.expect_response(lambda r: "/read/" in r.url) as answer:
        page.goto(site + article.get_absolute_url())
    assert answer.value.status == 204
    assert "HeadlessChrome" in page.evaluate("navigator.userAgent")
    assert readings(article) == 0


def test_copy_link_puts_the_articles_address_on_the_clipboard(browser, site):
    article = Article.objects.get(category__slug="opinion")
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    reader = context.new_page()
    reader.goto(site + article.get_absolute_url())
    reader.click("[data-copy-link]")
    reader.wait_for_function("document.querySelector('[data-copy-status]').textContent !== ''")
    assert reader.locator("[data-copy-status]").inner_text() == "Link copied."
    assert reader.evaluate("navigator.clipboard.readText()") == site + article.get_absolute_url()
    assert reader.url == site + article.get_absolute_url()
    context.close()
