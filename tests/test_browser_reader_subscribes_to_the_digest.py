"""In a real browser (Debian's Chromium through Playwright): a reader subscribes from the
footer, opens the confirmation link from the message the SMTP server received, gets an
issue, and later unsubscribes with one click. The issue's HTML is looked at as a mail client
shows it, at 600 and 390 pixels."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from newsletter import services
from newsletter.models import Subscriber
from tests.browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.newsletter_support import SMTPServer, links, part, run_tasks

pytestmark = [pytest.mark.browser, needs_chromium]

SHOTS = os.environ.get("NEWSLETTER_SCREENSHOTS")  # a folder to keep the screenshots in


@pytest.fixture(scope="module")
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server, settings):
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
    server = SMTPServer().start()
    settings.MAILERS = server.mailers()
    settings.NEWSLETTER_BASE_URL = live_server.url
    yield live_server.url, server
    server.stop()


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


def test_reader_subscribes_confirms_from_the_email_and_unsubscribes_with_one_click(
    page, site, make_article, tmp_path
):
    url, smtp = site
    page.goto(url + "/")
    footer = page.locator(".site-footer .subscribe-form")
    footer.locator("input[type=email]").fill("browser.reader@example.com")
    trap = footer.locator("input[name=website]").bounding_box()  # the honeypot: off-screen
    assert trap is None or trap["x"] + trap["width"] <= 0
    footer.locator("button[type=submit]").click()
    page.wait_for_url("**/newsletter/check-your-inbox/")
    assert "Check your inbox" in page.locator("h1").inner_text()

    run_tasks()
    [confirmation] = smtp.sink.to("browser.reader@example.com")
    [confirm_url] = [u for u in links(part(confirmation, "plain")) if "/confirm/" in u]
    page.goto(confirm_url)
    page.get_by_role("button", name="Yes, confirm my subscription").click()
    page.wait_for_selector("text=You are subscribed")
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE

    make_article(title="Browser-tested summit story", published_at=timezone.now())
    issue = services.issue_assemble(day=timezone.localdate() + timezone.timedelta(days=1))
    services.issue_send(issue=issue)
    run_tasks()
    [received] = smtp.sink.to("browser.reader@example.com")[1:]
    html = part(received, "html")

    # The e-mail as a mail client shows it (a blank page, not the site's CSP): no horizontal
    # scrolling at phone width.
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    mail_client = page.context.new_page()
    for width in (600, 390):
        mail_client.set_viewport_size({"width": width, "height": 900})
        mail_client.set_content(html)
        assert "Browser-tested summit story" in mail_client.inner_text("body")
        overflow = mail_client.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{overflow}px wide at {width}px"
        mail_client.screenshot(path=str(shots / f"digest-email-{width}.png"), full_page=True)
    link = mail_client.get_by_role("link", name="Unsubscribe in one click")
    unsubscribe = link.get_attribute("href")
    mail_client.close()

    # Later: the footer's one-click link.
    page.goto(unsubscribe)
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_selector("text=You are unsubscribed")
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
