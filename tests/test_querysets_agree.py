"""Every PostgreSQL plan of `articles.querysets` returns the same rows as its portable twin.

The public lists use the plan on PostgreSQL and the twin everywhere else; on PostgreSQL both
run here over the same archive and must agree, and on any database the public method gives
what the portable twin defines."""

import pytest
from django.db import connection

from articles.models import Article, Translation
from articles.querysets import NEWEST_FIRST

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans of PostgreSQL need PostgreSQL"
)


def ids(rows):
    return [row.pk for row in rows]


def ids_of(queryset_or_sql):
    return list(
        Article.objects.filter(pk__in=queryset_or_sql)
        .order_by(*NEWEST_FIRST)
        .values_list("pk", flat=True)
    )


@pytest.fixture
def published(big_site):
    return Article.objects.published()


def test_newest_in_each_category_gives_each_categorys_newest(published, big_site):
    family = [c.pk for c in big_site.categories]
    rows = list(published.newest_in_each(family, 3))
    for category in big_site.categories:
        expected = ids(published.filter(category=category).newest_first()[:3])
        assert [a.pk for a in rows if a.category_id == category.pk] == expected
    assert ids(rows) == ids(sorted(rows, key=lambda a: (a.published_at, a.pk), reverse=True))


@postgresql_only
def test_newest_in_each_plan_agrees_with_its_twin(published, big_site):
    family = [c.pk for c in big_site.categories]
    plan = published._newest_in_each_postgresql(family, 3)
    twin = published._newest_in_each_portable(family, 3)
    assert ids(plan) == ids(twin) and len(ids(plan)) == 3 * len(family)


@pytest.mark.parametrize("start, stop", [(0, 20), (20, 40), (100, 120)])
def test_a_page_of_a_category_family_is_its_newest_rows_from_there(
    published, big_site, start, stop
):
    family = [big_site.news.pk, *big_site.news.children.values_list("pk", flat=True)]
    expected = ids(published.filter(category_id__in=family).newest_first()[start:stop])
    assert ids_of(published.newest_ids_in(family, start, stop)) == expected
    anchor = published.filter(category_id__in=family).newest_first()[start]
    after = (anchor.published_at, anchor.pk)
    assert ids_of(published.newest_ids_in(family, 0, 20, after)) == expected[1:] + ids(
        published.filter(category_id__in=family).newest_first()[stop : stop + 1]
    )


@postgresql_only
def test_newest_ids_in_plan_agrees_with_its_twin(published, big_site):
    family = [big_site.news.pk, *big_site.news.children.values_list("pk", flat=True)]
    for start, stop in ((0, 20), (40, 60)):
        plan = published._newest_ids_in_postgresql(family, start, stop)
        twin = published._newest_ids_in_portable(family, start, stop)
        assert ids_of(plan) == ids_of(twin) != []


def test_a_page_of_linked_articles_is_their_newest(published, big_site):
    links = Translation.objects.filter(source=big_site.outlet)
    expected = ids(published.filter(translation__source=big_site.outlet).newest_first()[5:25])
    assert ids_of(published.newest_ids_linked(links, 5, 25)) == expected != []


@postgresql_only
def test_newest_ids_linked_plan_agrees_with_its_twin(published, big_site):
    links = Article.authors.through.objects.filter(author=big_site.writers[1]).values("article_id")
    plan = published._newest_ids_linked_postgresql(links, 0, 20)
    twin = published._newest_ids_linked_portable(links, 0, 20)
    assert ids_of(plan) == ids_of(twin) != []


def test_related_articles_share_the_most_tags_then_the_category(published, big_site):
    article = big_site.articles[10]
    tag_ids = list(article.tags.values_list("pk", flat=True))
    related = list(published.related_to(article, tag_ids))
    assert len(related) == 4 and article.pk not in ids(related)
    shared = [r.shared_tags for r in related]
    assert shared == sorted(shared, reverse=True) and shared[0] >= 1


@pytest.fixture
def whole_tags(monkeypatch):
    """Related articles ranked among every article of the tags, as the portable twin does
    (the plan reads only the newest `RELATED_PER_TAG` of each: fewer than the site holds)."""
    from articles import querysets

    monkeypatch.setattr(querysets, "RELATED_PER_TAG", 10_000)


@postgresql_only
def test_related_to_plan_agrees_with_its_twin(published, big_site, whole_tags):
    for article in big_site.articles[::37]:
        tag_ids = list(article.tags.values_list("pk", flat=True))
        plan = published._related_to_postgresql(article, tag_ids, 4)
        twin = published._related_to_portable(article, tag_ids, 4)
        assert [(r.pk, r.shared_tags) for r in plan] == [(r.pk, r.shared_tags) for r in twin]


@postgresql_only
def test_related_articles_come_from_the_newest_of_each_tag_and_the_category(
    published, big_site, monkeypatch
):
    from articles import querysets
    from articles.models import TaggedArticle

    monkeypatch.setattr(querysets, "RELATED_PER_TAG", 3)
    for article in big_site.articles[::37]:
        tag_ids = list(article.tags.values_list("pk", flat=True))
        window = set()
        for tag_id in tag_ids:
            links = TaggedArticle.objects.filter(tag_id=tag_id).exclude(content_object=article)
            window |= set(
                links.order_by("-content_object_id").values_list("content_object_id", flat=True)[:3]
            )
        category = published.filter(category_id=article.category_id).exclude(pk=article.pk)
        window |= set(category.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[:4])
        related = ids(published._related_to_postgresql(article, tag_ids, 4))
        assert related and set(related) <= window


def test_an_estimated_count_is_exact_up_to_its_cap(big_site):
    everything = Article.objects.all()
    assert everything.estimated_count(10_000) == everything.count()
    assert everything.filter(status="draft").estimated_count(10) == 1
    # Past the cap: the capped count, or on PostgreSQL the planner's estimate of the whole
    # table (never below the cap + 1 rows known to be there).
    if connection.vendor == "postgresql":
        assert everything.estimated_count(10) >= 11
    else:
        assert everything.estimated_count(10) == 11


@postgresql_only
def test_past_the_cap_postgresql_estimates_the_whole_table(big_site):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    estimate = Article.objects.all().estimated_count(10)
    assert estimate >= 11
    assert abs(estimate - Article.objects.count()) <= Article.objects.count() * 0.2


def test_around_an_article_are_its_neighbours_and_related_articles(published, big_site):
    article = big_site.articles[10]
    tag_ids = list(article.tags.values_list("pk", flat=True))
    around = Article.objects.around(article, tag_ids)
    assert (around.previous, around.next) == published.neighbours_of(article)
    assert ids(around.related) == ids(published.related_to(article, tag_ids))
    for card in [around.previous, around.next, *around.related]:
        assert card.category.slug in card.get_absolute_url()


@postgresql_only
def test_around_plan_agrees_with_its_twin(published, big_site, whole_tags):
    for article in [*big_site.articles[::23], *big_site.articles[-3:]]:
        tag_ids = list(article.tags.values_list("pk", flat=True))
        plan = Article.objects.all()._around_postgresql(article, tag_ids, 4)
        twin = Article.objects.all()._around_portable(article, tag_ids, 4)
        assert (plan.previous, plan.next) == (twin.previous, twin.next)
        assert [(r.pk, r.shared_tags) for r in plan.related] == [
            (r.pk, r.shared_tags) for r in twin.related
        ]
        for card in [plan.previous, plan.next, *plan.related]:
            if card is not None:
                assert card.category == Article.objects.get(pk=card.pk).category
                assert card.image_renditions == Article.objects.get(pk=card.pk).image_renditions


def test_an_article_page_reads_the_article_its_provenance_and_tags(published, big_site):
    translated = Translation.objects.filter(article__in=published).select_related("article")
    for provenance in translated[:3]:
        article = Article.objects.page_article(provenance.article.slug)
        assert article.translation.source == provenance.source
        assert [t.name for t in article.tags.all()] == [
            t.name for t in provenance.article.tags.all()
        ]
    hidden = Article.objects.exclude(pk__in=published.values("pk")).first()
    assert Article.objects.page_article(hidden.slug) is None


@postgresql_only
def test_page_article_plan_agrees_with_its_twin(published, big_site, django_assert_num_queries):
    def facts(article):
        provenance = getattr(article, "translation", None)
        people = (
            [provenance.source, provenance.original_author, provenance.translator, provenance.pk]
            if provenance
            else None
        )
        return (
            [(f.attname, getattr(article, f.attname)) for f in article._meta.concrete_fields
             if f.name not in ("search_vector", "search_head")],
            article.category, article.category.parent, people, list(article.tags.all()),
            # the byline in its order, with what the page shows of each author
            [(a.pk, a.name, a.get_absolute_url(), a.kind) for a in article.authors.all()],
        )  # fmt: skip

    Article.objects.page_article("prepared-once-per-session")
    bylines = 0
    for article in published.order_by("pk")[::17]:
        with django_assert_num_queries(1):
            plan = facts(Article.objects.all()._page_article_postgresql(article.slug))
        twin = facts(Article.objects.all()._page_article_portable(article.slug))
        assert plan == twin
        bylines += len(plan[-1]) > 1
    assert bylines  # some of them have two authors or more, in their order


@postgresql_only
def test_page_article_without_prepared_statements_reads_the_same(published, big_site, settings):
    article = published.order_by("pk")[5]
    prepared = Article.objects.page_article(article.slug)
    settings.DATABASE_PREPARED_STATEMENTS = False
    sent = Article.objects.page_article(article.slug)
    assert (sent.pk, sent.category, list(sent.tags.all())) == (
        prepared.pk, prepared.category, list(prepared.tags.all()),
    )  # fmt: skip


@postgresql_only
def test_a_prepared_statement_whose_first_execution_failed_still_answers(db):
    """PREPARE outlives an EXECUTE that failed (a statement timeout, a cancelled query): the
    next request must execute it, not prepare it again ("already exists", on every page the
    process serves until it reconnects)."""
    from django.db import DataError, transaction

    from articles.querysets import execute_prepared

    rows = Article.objects.all()
    with pytest.raises(DataError), transaction.atomic():
        execute_prepared(rows, "digest_test_divide", "SELECT 10 / $1::integer", [0])
    assert execute_prepared(rows, "digest_test_divide", "SELECT 10 / $1::integer", [2]) == [(5,)]
    assert execute_prepared(rows, "digest_test_divide", "SELECT 10 / $1::integer", [5]) == [(2,)]


@postgresql_only
def test_with_ids_in_plan_agrees_with_its_twin(published, big_site):
    featured = published.newest_first().values("pk")[:3]
    oldest = published.order_by("published_at", "pk").values("pk")[:2]
    some = Article.objects.filter(pk__in=[a.pk for a in big_site.articles[5:9]]).values("pk")
    plan = published._with_ids_in_postgresql([featured, oldest, some])
    twin = published._with_ids_in_portable([featured, oldest, some])
    assert ids_of(plan) == ids_of(twin) and len(ids_of(plan)) >= 5


def test_the_home_pages_sections_are_each_categorys_newest_cards(published, big_site):
    family = [c.pk for c in big_site.categories]
    rows = Article.objects.cards_newest_in_each(family, 3)
    assert ids(rows) == ids(published.for_cards().newest_in_each(family, 3))
    assert [row.category.name for row in rows] == [
        row.category.name for row in published.for_cards().newest_in_each(family, 3)
    ]
    placed = ids(rows)[::2]  # what the page's other blocks took: the next newest instead
    rest = Article.objects.cards_newest_in_each(family, 3, exclude=placed)
    assert ids(rest) == ids(published.exclude(pk__in=placed).newest_in_each(family, 3))
    assert not set(placed) & set(ids(rest)) and len(ids(rest)) == 3 * len(family)


def test_the_home_pages_front_is_the_newest_featured_and_the_most_read(published, big_site):
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from articles.models import ArticleReads

    now = timezone.now()
    newest = list(published.newest_first()[:40])
    hour = now.replace(minute=0, second=0, microsecond=0)
    Article.objects.filter(pk__in=[a.pk for a in newest[10:16]]).update(is_featured=True)
    ArticleReads.objects.bulk_create(
        [ArticleReads(article=a, hour=hour - timedelta(hours=2), count=n + 1) for n, a in
         enumerate(newest[:20])]
        + [ArticleReads(article=a, hour=hour - timedelta(days=3), count=3 * n + 1) for n, a in
           enumerate(newest[15:40])]
    )  # fmt: skip
    day, week = now - timedelta(hours=24), now - timedelta(days=7)
    rows = Article.objects.front_cards(featured=4, best=15, day=day, week=week, now=now)
    reads = ArticleReads.objects
    expected = (
        published.for_cards()
        .with_ids_in(
            published.featured().newest_first().values("pk")[:4],
            reads.best(day, 15),
            reads.best(week, 15),
        )
        .annotate(
            featured_flag=F("is_featured"), read_day=reads.total(day), read_week=reads.total(week)
        )
    )

    def seen(articles):
        return sorted(
            (a.pk, a.featured_flag, a.read_day, a.read_week, a.category.slug) for a in articles
        )

    assert seen(rows) == seen(expected)
    assert sum(a.featured_flag for a in rows) >= 4 and any(a.read_week > a.read_day for a in rows)


def test_the_cards_bylines_are_read_at_once_in_their_order(make_article, make_author):
    """`keep_bylines` (one prepared statement on PostgreSQL, Django's prefetch elsewhere)
    gives each card the authors Django's own relation gives, in the byline's order, and no
    card reads them again."""
    from django.test.utils import CaptureQueriesContext

    zara, adam, nur = make_author("Zara Ziyadova"), make_author("Adam Aliyev"), make_author("Nur")
    lone = make_article()
    pair = make_article(authors=[zara, adam])
    trio = make_article(authors=[nur, zara, adam])
    expected = {a.pk: [w.pk for w in a.authors.all()] for a in (lone, pair, trio)}
    assert expected[pair.pk] == [zara.pk, adam.pk]
    assert expected[trio.pk] == [nur.pk, zara.pk, adam.pk]
    cards = list(Article.objects.filter(pk__in=expected).for_cards())
    with CaptureQueriesContext(connection) as queries:
        Article.objects.keep_bylines(cards)
        read = {a.pk: [(w.pk, w.name, w.slug, w.kind) for w in a.authors.all()] for a in cards}
    assert len(queries) <= 2  # one statement here (plus its PREPARE the first time)
    assert {pk: [w[0] for w in authors] for pk, authors in read.items()} == expected
    assert read[pair.pk][0] == (zara.pk, "Zara Ziyadova", zara.slug, zara.kind)
    with CaptureQueriesContext(connection) as again:
        Article.objects.keep_bylines(cards)
    assert len(again) == 0, "what was read is kept"


@pytest.mark.parametrize("start, stop", [(0, 20), (20, 40), (100, 120)])
def test_a_page_of_category_cards_is_the_page_of_its_queryset(published, big_site, start, stop):
    family = [big_site.news.pk, *big_site.news.children.values_list("pk", flat=True)]
    twin = published.for_cards().filter(pk__in=published.newest_ids_in(family, start, stop))
    cards = Article.objects.newest_cards_in(family, start, stop)
    if connection.vendor != "postgresql":
        assert cards is None  # the queryset reads the page
        return
    assert ids(cards) == ids(twin.order_by(*NEWEST_FIRST))
    assert [(c.title, c.category.name, c.get_absolute_url()) for c in cards] == [
        (a.title, a.category.name, a.get_absolute_url()) for a in twin.order_by(*NEWEST_FIRST)
    ]


@pytest.mark.parametrize("start, stop", [(0, 12), (12, 24), (230, 250)])
def test_a_page_of_the_newest_cards_is_the_page_of_its_queryset(published, big_site, start, stop):
    twin = list(published.for_cards().newest_first()[start:stop])
    cards = Article.objects.newest_cards(start, stop)
    if connection.vendor != "postgresql":
        assert cards is None  # the queryset reads the page
        return
    assert ids(cards) == ids(twin) and (twin or start >= 230)
    assert [(c.title, c.category.name, c.get_absolute_url()) for c in cards] == [
        (a.title, a.category.name, a.get_absolute_url()) for a in twin
    ]
