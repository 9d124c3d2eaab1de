import pytest

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
