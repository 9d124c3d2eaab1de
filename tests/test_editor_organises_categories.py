import pytest
from django.core.exceptions import ValidationError


def test_sub_category_of_a_top_level_category_is_accepted(make_category):
    news = make_category("News")
    energy = make_category("Energy", parent=news)
    assert energy.parent == news
    assert str(energy) == "News › Energy"


def test_third_level_is_refused(make_category):
    news = make_category("News")
    energy = make_category("Energy", parent=news)
    with pytest.raises(ValidationError, match="at most 2 levels"):
        make_category("Oil", parent=energy)


def test_category_cannot_be_its_own_parent(make_category):
    news = make_category("News")
    news.parent = news
    with pytest.raises(ValidationError, match="inside itself"):
        news.full_clean()


def test_cycle_through_a_child_is_refused(make_category):
    news = make_category("News")
    energy = make_category("Energy", parent=news)
    news.parent = energy
    with pytest.raises(ValidationError):
        news.full_clean()


def test_parent_with_children_cannot_become_a_child(make_category):
    news = make_category("News")
    make_category("Energy", parent=news)
    culture = make_category("Culture")
    news.parent = culture
    with pytest.raises(ValidationError, match="has sub-categories"):
        news.full_clean()


def test_reserved_slug_is_refused(make_category):
    with pytest.raises(ValidationError, match="reserved"):
        make_category("Search")


def test_deleting_what_many_articles_point_at_is_confirmed_with_counts(
    editor_client, make_article, make_category, monkeypatch
):
    """The confirmation page counts the rows of each relation instead of listing them all
    (a tag on 400,000 articles made a 15 MB page); a few rows are still listed one by one."""
    from articles.admin import SummarisedDeleteMixin
    from articles.models import Tag

    news = make_category(name="Crowded")
    for n in range(3):
        make_article(title=f"Crowded story {n}", category=news, tags=["Busy"])
    tag = Tag.objects.get(name="Busy")

    listed = editor_client.get(f"/admin/articles/tag/{tag.pk}/delete/").content.decode()
    assert listed.count("Article tag: Busy") == 3  # each link, as Django lists them

    monkeypatch.setattr(SummarisedDeleteMixin, "LIST_AT_MOST", 2)
    page = editor_client.get(f"/admin/articles/tag/{tag.pk}/delete/").content.decode()
    assert "3 article tags" in page and "Article tag: Busy" not in page
    assert "Are you sure" in page
    protected = editor_client.get(f"/admin/articles/category/{news.pk}/delete/").content.decode()
    assert "3 articles" in protected and "protected" in protected
    assert "Crowded story" not in protected
    # The tag can still be deleted from there; the category cannot while it has articles.
    editor_client.post(f"/admin/articles/tag/{tag.pk}/delete/", {"post": "yes"})
    assert not Tag.objects.filter(pk=tag.pk).exists()
    editor_client.post(f"/admin/articles/category/{news.pk}/delete/", {"post": "yes"})
    assert news.__class__.objects.filter(pk=news.pk).exists()
