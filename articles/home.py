"""The home page's digest: which article goes in which block. Every block takes from one
de-duplication, in the order a reader meets them, so no article appears twice on the page:
the lead, "New articles", the featured stories, "Most read" (24 hours, then 7 days), a block
per menu category, and what is left of the newest ("Latest")."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from pagecache.fragments import versioned

from .models import Article

NEW_ARTICLES = 8
FEATURED = 3
MOST_READ = 5
# Most-read candidates per window: enough to still have five once the page's other blocks
# have taken theirs.
MOST_READ_CANDIDATES = 15


class Shown:
    """The articles a page has placed so far."""

    def __init__(self):
        self.ids = set()
        self.articles = []

    def take(self, candidates, limit):
        """Up to *limit* of *candidates* not placed yet, in their order; placed now."""
        taken = []
        for article in candidates:
            if len(taken) == limit:
                break
            if article is not None and article.pk not in self.ids:
                self.ids.add(article.pk)
                self.articles.append(article)
                taken.append(article)
        return taken


def home_blocks(request, menu, latest):
    """The blocks of the first home page: *menu* the menu's categories (`chrome.menu_tree`),
    *latest* the page's newest articles."""
    featured, day, week = front_candidates(request)
    shown = Shown()
    candidate = featured[0] if featured else (latest[0] if latest else None)
    lead = (shown.take([candidate], 1) or [None])[0]
    new_articles = shown.take(latest, NEW_ARTICLES)
    # Three stories under the lead: the featured ones, topped up with the newest left.
    featured = shown.take([*featured, *latest], FEATURED)
    most_read_day = shown.take(day, MOST_READ)
    most_read_week = shown.take(week, MOST_READ)
    sections = section_blocks(menu, settings.DIGEST_HOME_SECTION_SIZE, shown)
    more = shown.take(latest, len(latest))
    return {
        "lead": lead,
        "new_articles": new_articles,
        "featured": featured,
        "most_read_day": most_read_day,
        "most_read_week": most_read_week,
        "section_articles": sections,
        "more_articles": more,
        "opinion_slug": settings.DIGEST_OPINION_CATEGORY,
        "cards": shown.articles,
    }


def section_blocks(menu, per_section, shown):
    """{section id: [article, …]}: the newest *per_section* articles of each top-level menu
    category not placed yet, a parent's block including its sub-categories, in one query."""
    section_of = {}
    for section in menu:
        section_of[section.pk] = section.pk
        for child in section.children_ids:
            section_of[child] = section.pk
    # The newest of each category the page has not placed yet: no more rows than it shows.
    rows = Article.objects.cards_newest_in_each(section_of, per_section, exclude=shown.ids)
    by_section = {}
    for article in rows:
        by_section.setdefault(section_of[article.category_id], []).append(article)
    # Each category gave its newest few, in the newest-first order of the whole query.
    return {
        section: taken
        for section, articles in by_section.items()
        if (taken := shown.take(articles, per_section))
    }


def front_candidates(request):
    """(the newest featured articles, the last 24 hours' and the last 7 days' most read),
    each up to a few more than the page shows, newest or most read first, in one query; kept
    with the page's other parts under the page cache's content version, and no longer than the
    page cache keeps a page (`PAGECACHE_SECONDS`), so the counts are at most that old."""

    def compute():
        now = timezone.now()
        rows = Article.objects.front_cards(
            featured=FEATURED + 1, best=MOST_READ_CANDIDATES,
            day=now - timedelta(hours=24), week=now - timedelta(days=7), now=now,
        )  # fmt: skip
        newest = sorted(rows, key=lambda r: (r.published_at, r.pk), reverse=True)
        featured = [r for r in newest if r.featured_flag][: FEATURED + 1]
        day = sorted((r for r in rows if r.read_day), key=lambda r: (-r.read_day, -r.pk))
        week = sorted((r for r in rows if r.read_week), key=lambda r: (-r.read_week, -r.pk))
        return featured, day[:MOST_READ_CANDIDATES], week[:MOST_READ_CANDIDATES]

    return versioned(request, "home-front", compute)
