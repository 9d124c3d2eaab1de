"""In Chromium (issue 19): an editor inserts an image into the body from the editor's figure
button, uploading it in the picker with its alt text; it is stored with renditions and shown
to readers."""

from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser import browser, leave, needs_chromium, sign_in

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]

SAMPLE = Path(__file__).parent / "data" / "featured.jpg"


def test_editor_inserts_an_uploaded_image_into_the_body(
    browser, live_server, make_staff, make_article, settings, tmp_path
):
    from articles.models import Article, Image

    settings.MEDIA_ROOT = tmp_path
    make_staff("Editor", username="aygun")
    article = make_article(title="Khizi wind park", body="<p>The park opens.</p>")
    context, page = sign_in(browser, live_server.url, "aygun")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(".prose-editor [contenteditable=true]").click()
    page.keyboard.press("End")

    page.locator(".prose-menubar [title='figure']").first.click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name="Browse...").click()
    picker = popup_info.value
    picker.wait_for_load_state()
    picker.set_input_files("#id_file", str(SAMPLE))
    picker.fill("#id_alt_text", "Wind turbines on a ridge above the Caspian")
    picker.fill("#id_caption", "The Khizi park at dusk")
    picker.click("input[value=Upload]")
    picker.wait_for_selector(".desk-picker-new .desk-pick")
    with picker.expect_event("close"):
        try:
            # no_wait_after: the picker closes itself as the click lands, and Playwright
            # waiting on the page after the click raced that close (TargetClosedError in CI).
            picker.click(".desk-picker-new .desk-pick", no_wait_after=True)
        except PlaywrightError:
            if not picker.is_closed():
                raise
            # Closed before Playwright's click returned: what the picker is meant to do.

    assert dialog.locator("input[name=altText]").input_value() == (
        "Wind turbines on a ridge above the Caspian"
    )
    dialog.get_by_role("button", name="Insert").click()
    page.locator(".prose-editor figure img").wait_for()
    page.click("button[name=publish_action][value=save]")
    page.wait_for_selector(".messagelist .success")

    image = Image.objects.get()
    assert sorted(image.renditions, key=int) == ["480", "800", "1200", "1600"]
    article = Article.objects.get(pk=article.pk)
    assert f'<img src="{image.url()}" alt="Wind turbines on a ridge above the Caspian"' in (
        article.body
    )
    assert "<figcaption>The Khizi park at dusk</figcaption>" in article.body
    reader = browser.new_page()
    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    shown = reader.locator(".article-body figure img")
    assert shown.get_attribute("alt") == "Wind turbines on a ridge above the Caspian"
    assert reader.evaluate("img => img.naturalWidth", shown.element_handle()) > 0
    reader.close()
    leave(context)
