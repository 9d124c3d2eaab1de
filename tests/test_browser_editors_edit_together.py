"""In Chromium (issue 19): two editors open one article, each sees the other, one takes over,
and when both saved their changes, the second save merges them instead of losing either."""

import pytest

from tests.browser import browser, leave, needs_chromium, sign_in, type_in_body

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]


def test_two_editors_see_each_other_and_a_conflict_is_merged(
    browser, live_server, make_staff, make_article
):
    from articles.models import Article

    make_staff("Editor", username="aygun", first_name="Aygün")
    make_staff("Editor", username="murad", first_name="Murad")
    article = make_article(title="Port of Alat expands", body="<p>The port grows.</p>")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    aygun_context, aygun = sign_in(browser, live_server.url, "aygun")
    murad_context, murad = sign_in(browser, live_server.url, "murad")

    aygun.goto(url)
    assert aygun.locator(".desk-presence").is_hidden()
    murad.goto(url)
    notice = murad.locator(".desk-presence")
    assert notice.is_visible()
    assert notice.inner_text().startswith("Aygün is editing this (since ")

    murad.click(".desk-take-over")
    notice.wait_for(state="hidden")
    aygun.evaluate("window.deskHeartbeatNow()")
    taken = aygun.locator(".desk-presence")
    taken.wait_for(state="visible")
    assert "Murad took over editing at" in taken.inner_text()

    # Murad changes the headline and saves; Aygün, still on the old copy, rewrites the body.
    murad.fill("#id_title", "Port of Alat doubles its capacity")
    murad.click("button[name=publish_action][value=save]")
    murad.wait_for_selector(".messagelist .success")
    type_in_body(aygun, " Ten new berths by 2027.")
    aygun.click("button[name=publish_action][value=save]")
    aygun.wait_for_selector(".errornote")

    refusal = aygun.inner_text(".errorlist.nonfield")
    assert "They changed: Title." in refusal
    assert "Their Title is now in the form, with your changes kept." in refusal
    assert aygun.input_value("#id_title") == "Port of Alat doubles its capacity"
    assert "Ten new berths by 2027." in aygun.inner_text(".prose-editor [contenteditable=true]")
    article.refresh_from_db()
    assert "Ten new berths" not in article.body  # nothing saved from the stale copy

    aygun.click("button[name=publish_action][value=save]")
    aygun.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.title == "Port of Alat doubles its capacity"
    assert "Ten new berths by 2027." in article.body
    assert Article.objects.get(pk=article.pk).version == 3
    leave(aygun_context)
    leave(murad_context)
