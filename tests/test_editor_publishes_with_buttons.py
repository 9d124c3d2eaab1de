"""The change form reads like an article editor (issue 19): the text in the main column, the
rest in a sidebar, and explicit buttons by role instead of a Status dropdown, each saying what
readers will see and when."""

import re
from datetime import timedelta

from django.utils import timezone

from articles.models import Article


def _buttons(page):
    return re.findall(
        r'<button type="submit" name="publish_action" value="(\w+)"[^>]*>([^<]+)<', page
    )


def _columns(page):
    main = page.split('<div class="desk-main">', 1)[1].split('<aside class="desk-side"', 1)[0]
    side = page.split('<aside class="desk-side"', 1)[1].split("</aside>", 1)[0]
    return main, side


def test_the_form_has_the_text_in_the_main_column_and_the_rest_in_a_sidebar(
    editor_client, make_article
):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    main, side = _columns(page)
    for field in ("title", "standfirst", "body"):
        assert f'name="{field}"' in main and f'name="{field}"' not in side
    for field in ("published_at_0", "category", "tags", "authors", "featured_image"):
        assert f'name="{field}"' in side and f'name="{field}"' not in main
    assert "translation-0-source" in side
    assert '<select name="status"' not in page  # no dropdown: the buttons change the status
    assert "Draft: readers see nothing yet." in side


def test_an_editor_gets_a_button_for_each_step(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    live = make_article()
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))

    def buttons(article):
        url = f"/admin/articles/article/{article.pk}/change/"
        return [label for _, label in _buttons(editor_client.get(url).content.decode())]

    assert [label for _, label in _buttons(
        editor_client.get("/admin/articles/article/add/").content.decode()
    )] == ["Save draft", "Submit for review", "Publish now", "Schedule…"]  # fmt: skip
    assert buttons(draft) == ["Save draft", "Submit for review", "Publish now", "Schedule…"]
    assert buttons(live) == ["Update", "Unpublish"]
    assert buttons(scheduled) == ["Update", "Publish now", "Reschedule…", "Unpublish"]


def test_a_translator_gets_only_save_draft_and_submit(translator_client, translator, make_article):
    own = make_article(status=Article.Status.DRAFT, published_at=None, created_by=translator)
    page = translator_client.get(f"/admin/articles/article/{own.pk}/change/").content.decode()
    assert [label for _, label in _buttons(page)] == ["Save draft", "Submit for review"]


def test_each_confirmation_says_what_readers_will_see_and_when(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    page = editor_client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    confirms = dict(re.findall(r'value="(\w+)"[^>]*data-confirm="([^"]+)"', page))

    assert set(confirms) == {"publish", "schedule"}
    assert "Readers will see “{title}” now, on the home page" in confirms["publish"]
    assert "Readers will see nothing until {when} (Asia/Baku)" in confirms["schedule"]
    assert 'id="desk-confirm"' in page and "articles/admin/desk.js" in page


def test_publish_now_publishes_at_once(editor_client, make_article, article_form_data):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    before = timezone.now()

    response = editor_client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        article_form_data(draft, publish_action="publish", _continue="1"),
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.is_public and draft.published_at >= before
    assert f"“{draft.title}” is published: readers see it now." in response.content.decode()


def test_schedule_needs_a_future_time_and_then_waits_for_it(
    editor_client, make_article, article_form_data
):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    url = f"/admin/articles/article/{draft.pk}/change/"
    past = timezone.localtime() - timedelta(hours=1)
    refused = editor_client.post(
        url,
        article_form_data(
            draft, publish_action="schedule", published_at_0=f"{past:%Y-%m-%d}",
            published_at_1=f"{past:%H:%M:%S}",
        ),
    )  # fmt: skip
    assert "Choose a time in the future to schedule the article" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT

    later = timezone.localtime() + timedelta(days=2)
    response = editor_client.post(
        url,
        article_form_data(
            draft, publish_action="schedule", published_at_0=f"{later:%Y-%m-%d}",
            published_at_1="09:00:00", _continue="1",
        ),
        follow=True,
    )  # fmt: skip

    draft.refresh_from_db()
    assert draft.is_scheduled and not draft.is_public
    assert timezone.localtime(draft.published_at).strftime("%H:%M") == "09:00"
    assert "is scheduled for" in response.content.decode()
    assert not Article.objects.published().filter(pk=draft.pk).exists()


def test_unpublish_takes_it_away_from_readers(editor_client, make_article, article_form_data):
    live = make_article()
    editor_client.post(
        f"/admin/articles/article/{live.pk}/change/",
        article_form_data(live, publish_action="unpublish"),
    )
    live.refresh_from_db()
    assert live.status == Article.Status.UNPUBLISHED and not live.is_public


def test_submit_for_review_and_send_back(
    translator_client, translator, editor_client, make_article, article_form_data
):
    own = make_article(status=Article.Status.DRAFT, published_at=None, created_by=translator)
    url = f"/admin/articles/article/{own.pk}/change/"
    translator_client.post(url, article_form_data(own, publish_action="review"))
    own.refresh_from_db()
    assert own.status == Article.Status.REVIEW

    editor_client.post(url, article_form_data(own, publish_action="draft"))
    own.refresh_from_db()
    assert own.status == Article.Status.DRAFT


def test_a_translator_pressing_a_forged_publish_button_is_refused(
    translator_client, translator, make_article, article_form_data
):
    own = make_article(status=Article.Status.DRAFT, published_at=None, created_by=translator)
    response = translator_client.post(
        f"/admin/articles/article/{own.pk}/change/",
        article_form_data(own, publish_action="publish"),
    )
    assert "Select a valid choice" in response.content.decode()
    own.refresh_from_db()
    assert own.status == Article.Status.DRAFT
