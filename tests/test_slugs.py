import pytest
from django.urls import NoReverseMatch

from articles.models import Article
from articles.text import slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Erdoğan", "erdogan"),
        ("Şuşa", "shusha"),
        ("Azərbaycan", "azerbaycan"),
        ("İlham Əliyev", "ilham-eliyev"),
        ("Çağdaş Türkiye", "chagdash-turkiye"),
        ("Gənclər günü: ölkə üçün", "gencler-gunu-olke-uchun"),
        ("Globalinfo.az", "globalinfo-az"),
        ("Aliyev and Erdoğan’s plans", "aliyev-and-erdogans-plans"),
    ],
)
def test_names_transliterate_as_the_english_language_press_spells_them(name, slug):
    assert slugify(name) == slug


def test_long_slug_is_cut_on_a_word_boundary():
    assert slugify("one two three four", max_length=10) == "one-two"


def test_article_slugs_get_a_numbered_suffix_when_taken(make_article):
    first = make_article(title="Baku summit")
    second = make_article(title="Baku summit")
    third = make_article(title="Baku Summit!")
    assert [first.slug, second.slug, third.slug] == [
        "baku-summit",
        "baku-summit-2",
        "baku-summit-3",
    ]
    assert Article.objects.filter(slug__startswith="baku-summit").count() == 3


def test_tags_get_the_transliterating_slug(make_article):
    article = make_article(tags=["Erdoğan", "Şuşa"])
    assert sorted(article.tags.values_list("slug", flat=True)) == [
        "erdogan",
        "shusha",
    ]


def test_addresses_are_what_reverse_makes_under_any_script_prefix(make_article):
    from django.urls import reverse, set_script_prefix

    from articles.links import slug_path

    article = make_article(title="Ankara talks")
    expected = reverse(
        "articles:detail", kwargs={"category": article.category.slug, "slug": article.slug}
    )
    assert article.get_absolute_url() == expected
    try:
        set_script_prefix("/digest/")
        assert article.get_absolute_url() == f"/digest{expected}"
    finally:
        set_script_prefix("/")
    # Not a plain slug: reverse() itself decides (here: no such address).
    with pytest.raises(NoReverseMatch):
        slug_path("articles:tag", slug="two words")
