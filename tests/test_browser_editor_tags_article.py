"""In a real browser (Debian's Chromium): an editor tags an article by picking a suggested tag
and typing a brand-new one."""

import os

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_editor_picks_a_suggested_tag_and_adds_a_new_one(
    browser, live_server, make_staff, make_article
):
    from articles.models import Article, Tag

    make_staff("Editor", username="desk")
    Tag.objects.bulk_create([Tag(name=f"Topic {i}", slug=f"topic-{i}") for i in range(300)])
    Tag.objects.create(name="Erdoğan")
    article = make_article(title="Talks in Ankara", tags=["Ankara"])
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A script or style the CSP refuses is reported on the console as "Refused to …".
    page.on("console", lambda m: "Refused" in m.text and errors.append(m.text))
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    tags = page.locator("#id_tags + .select2")
    assert tags.locator(".select2-selection__choice").all_inner_texts() == ["×Ankara"]
    # Only the article's own tag is in the page, not the 301 others.
    assert page.locator("#id_tags option").count() == 1

    search = tags.locator(".select2-search__field")
    search.click()
    search.press_sequentially("erd", delay=50)  # two letters are enough; the ASCII spelling too
    suggestion = page.locator(".select2-results__option", has_text="Erdoğan")
    suggestion.wait_for()
    suggestion.click()

    search.press_sequentially('Peace, "at last"', delay=20)
    new_tag = page.locator(".select2-results__option", has_text='Peace, "at last" (new tag)')
    new_tag.wait_for()
    new_tag.click()
    chosen = tags.locator(".select2-selection__choice").all_inner_texts()
    assert [c.lstrip("×") for c in chosen] == ["Ankara", "Erdoğan", 'Peace, "at last"']

    page.click("button[name=publish_action][value=save]")  # "Update" (issue 19)
    page.wait_for_selector(".messagelist .success")
    names = sorted(Article.objects.get(pk=article.pk).tags.values_list("name", flat=True))
    assert names == sorted(["Ankara", "Erdoğan", 'Peace, "at last"'])
    assert Tag.objects.get(name='Peace, "at last"').slug == "peace-at-last"
    assert Tag.objects.filter(name__iexact="erd").count() == 0  # the typed letters made nothing
    # The saved form shows the three tags again; no script was refused by the CSP.
    chosen = page.locator("#id_tags + .select2 .select2-selection__choice").all_inner_texts()
    assert sorted(c.lstrip("×") for c in chosen) == names
    assert errors == []
    context.close()
