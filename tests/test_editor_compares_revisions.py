"""Comparing a revision with the article as it is now (issue 19): the text's words added and
removed, not raw HTML; the provenance too; and no change that is not one."""

import re
from datetime import timedelta

from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article


def _compare(client, article):
    first = Version.objects.get_for_object(article).order_by("pk").first()
    return client.get(f"/admin/articles/article/{article.pk}/history/{first.pk}/compare/")


def _save(client, article, data):
    assert client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    article.refresh_from_db()


def test_compare_shows_the_words_added_and_removed_as_text(
    editor_client, make_article, article_form_data
):
    article = make_article(body="<p>The ministry announced a <strong>small</strong> plan.</p>")
    _save(editor_client, article, article_form_data(article))
    _save(
        editor_client,
        article,
        article_form_data(article, body="<p>The ministry announced a large wind plan.</p>"),
    )

    page = _compare(editor_client, article).content.decode()

    assert '<del class="desk-del">small</del>' in page
    assert '<ins class="desk-ins">large wind</ins>' in page
    assert "1 word removed, 2 words added" in page
    readable = page.split('class="desk-text-diff"', 1)[1].split("</div>", 1)[0]
    assert "&lt;strong&gt;" not in readable and "<strong>" not in readable


def test_compare_includes_the_provenance(editor_client, make_article, article_form_data):
    outlet = services.source_get_or_create(name="Globalinfo.az")
    article = make_article(translation={"source": outlet, "original_title": "Köhnə başlıq"})
    _save(editor_client, article, article_form_data(article))
    services.article_save(
        article=Article.objects.get(pk=article.pk),
        translation={"source": outlet, "original_title": "Yeni başlıq", "source_language": "az"},
    )

    page = _compare(editor_client, article).content.decode()

    assert "<h2>Provenance</h2>" in page
    assert re.search(r"original title.*Köhnə başlıq.*Yeni başlıq", page, re.S)
    assert "Azerbaijani" in page


def test_the_same_publication_time_is_no_change(editor_client, make_article, article_form_data):
    # A time with microseconds: the revision keeps milliseconds only.
    when = timezone.now().replace(microsecond=123456) - timedelta(days=1)
    article = make_article(published_at=when)
    _save(editor_client, article, article_form_data(article))
    Article.objects.filter(pk=article.pk).update(published_at=when)
    article.refresh_from_db()

    page = _compare(editor_client, article).content.decode()

    assert "publication time" not in page.lower()
    assert "No differences" in page
