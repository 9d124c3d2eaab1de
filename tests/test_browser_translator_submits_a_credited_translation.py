"""In Chromium (issue 19): a translator writes a translation, credits themselves, adds the new
outlet it comes from without leaving the form, and submits it for review."""

import pytest

from tests.browser import browser, choose_autocomplete, leave, needs_chromium, sign_in, type_in_body

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]


def test_translator_writes_and_submits_a_credited_translation_with_a_new_outlet(
    browser, live_server, make_staff, make_category
):
    from articles import services
    from articles.models import Article, Source

    leyla = make_staff("Translator", username="leyla", first_name="Leyla")
    me = services.author_create(name="Leyla Quliyeva", user=leyla, account=leyla)
    make_category("Opinion")
    context, page = sign_in(browser, live_server.url, "leyla")

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    byline = page.locator("#id_authors + .select2 .select2-selection__choice").all_inner_texts()
    assert [b.lstrip("×") for b in byline] == ["Leyla Quliyeva"]  # bylined by default
    credit = page.locator("#id_translation-0-translator + .select2 .select2-selection__rendered")
    assert "Leyla Quliyeva" in credit.inner_text()  # and credited as the translator

    page.fill("#id_title", "Baku and Ankara after the vote")
    page.fill("#id_standfirst", "What the election means for the two capitals.")
    type_in_body(page, "The translated text of the column.")
    choose_autocomplete(page, "category", "Opinion")
    page.select_option("#id_translation-0-source_language", "az")

    # A new outlet, added from the provenance box in a popup, as the admin does.
    with page.expect_popup() as popup_info:
        page.click("#add_id_translation-0-source")
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.fill("#id_name", "Qafqazinfo")
    popup.fill("#id_url", "https://qafqazinfo.az/")
    with popup.expect_event("close"):  # the popup may close before a wait would start
        popup.click("input[name=_save]")
    chosen = page.locator("#id_translation-0-source + .select2 .select2-selection__rendered")
    chosen.filter(has_text="Qafqazinfo").wait_for()

    page.click("button[name=publish_action][value=review]")
    page.wait_for_selector(".messagelist .success")
    assert "submitted for review: the editors are told" in page.inner_text(".messagelist")

    article = Article.objects.get(title="Baku and Ankara after the vote")
    assert article.status == Article.Status.REVIEW
    assert list(article.authors.all()) == [me]
    assert article.translation.translator == me
    assert article.translation.source == Source.objects.get(name="Qafqazinfo")
    assert "translated text of the column" in article.body
    leave(context)
