"""In Chromium (issue 16): the byline's authors keep the order the editor chooses them in;
removing an author and choosing them again moves them to the end."""

import pytest

from tests.browser import browser, choose_autocomplete, leave, needs_chromium, sign_in

pytestmark = [pytest.mark.browser, needs_chromium, pytest.mark.django_db(transaction=True)]
__all__ = ["browser"]

CHOICES = "#id_authors + .select2 .select2-selection__choice"


def test_editor_moves_an_author_to_the_end_of_the_byline(
    browser, live_server, make_staff, make_article, make_author
):
    from articles.models import Article

    make_staff("Editor", username="aygun", first_name="Aygün")
    zeyneb, anar = make_author("Zeynəb Ə"), make_author("Anar B")
    make_author("Leyla C")
    article = make_article(title="Two hands", status=Article.Status.DRAFT, authors=[zeyneb, anar])
    context, page = sign_in(browser, live_server.url, "aygun")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")

    def byline():
        return [text.lstrip("×").strip() for text in page.locator(CHOICES).all_inner_texts()]

    assert byline() == ["Zeynəb Ə", "Anar B"]  # as stored, not alphabetical
    page.locator(CHOICES, has_text="Zeynəb Ə").locator(".select2-selection__choice__remove").click()
    page.keyboard.press("Escape")
    choose_autocomplete(page, "authors", "Leyla C")
    choose_autocomplete(page, "authors", "Zeynəb Ə")
    assert byline() == ["Anar B", "Leyla C", "Zeynəb Ə"]

    page.click("button[name=publish_action][value=draft]")  # "Save draft"
    page.wait_for_selector(".messagelist .success")
    saved = Article.objects.get(pk=article.pk)
    assert [a.name for a in saved.authors.all()] == ["Anar B", "Leyla C", "Zeynəb Ə"]
    leave(context)
