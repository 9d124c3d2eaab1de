"""In Chromium (issue 19): what an editor typed is autosaved when the tab closes, and the next
time the article opens it is restored, with a notice."""

import time

import pytest

from tests.browser import between_requests, browser, leave, needs_chromium, sign_in, type_in_body

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]


def test_autosave_restores_what_was_typed_after_the_tab_closed(
    browser, live_server, make_staff, make_article
):
    from articles.models import Article, ArticleAutosave

    make_staff("Editor", username="aygun")
    draft = make_article(title="Ferry line", status=Article.Status.DRAFT, published_at=None,
                         body="<p>The first paragraph.</p>")  # fmt: skip
    url = f"{live_server.url}/admin/articles/article/{draft.pk}/change/"
    context, page = sign_in(browser, live_server.url, "aygun")
    page.goto(url)
    page.fill("#id_title", "Ferry line reopens to Turkmenbashi")
    type_in_body(page, " Typed and never saved.")

    page.close(run_before_unload=True)  # the tab closes: the form sends its autosave
    for _ in range(50):
        with between_requests():
            if ArticleAutosave.objects.filter(article=draft).exists():
                break
        time.sleep(0.1)
    autosave = ArticleAutosave.objects.get(article=draft)
    assert autosave.data["title"] == "Ferry line reopens to Turkmenbashi"
    draft.refresh_from_db()
    assert draft.title == "Ferry line"  # nothing was saved for readers

    page = context.new_page()
    page.goto(url)
    assert "Restored what you typed and had not saved" in page.inner_text(".desk-restored")
    assert page.input_value("#id_title") == "Ferry line reopens to Turkmenbashi"
    assert "Typed and never saved." in page.inner_text(".prose-editor [contenteditable=true]")

    page.click("button[name=publish_action][value=draft]")
    page.wait_for_selector(".messagelist .success")
    draft.refresh_from_db()
    assert draft.title == "Ferry line reopens to Turkmenbashi"
    assert "Typed and never saved." in draft.body
    assert not ArticleAutosave.objects.filter(article=draft).exists()
    leave(context)
