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
