"""The archive: the digest of a day, a month or a year (the newsroom's own calendar days), how
a reader steps from one to the next with something in it, and the index of years and months a
reader browses back through. Each probe of "is anything there?" is an index seek, so the pages
cost the same with a million articles."""

import calendar
import datetime
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

# A month's calendar starts on Monday: (name, abbreviation).
WEEKDAYS = [(name, name[:3]) for name in calendar.day_name]


@dataclass(frozen=True)
class Period:
    """A day, a month or a year of the newsroom's calendar: [start, end)."""

    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self):
        if self.kind == "day":
            return f"{self.start:%B} {self.start.day}, {self.start.year}"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return str(self.start.year)

    def get_absolute_url(self):
        start = self.start
        if self.kind == "day":
            return reverse("articles:archive_day", args=[start.year, start.month, start.day])
        if self.kind == "month":
            return reverse("articles:archive_month", args=[start.year, start.month])
        return reverse("articles:archive_year", args=[start.year])

    def is_past(self):
        """Whether the period has begun (the archive never offers a future day)."""
        return self.start <= timezone.localdate()


def period(kind, day):
    """The *kind* of period ("day", "month", "year") that holds the date *day*."""
    if kind == "day":
        return Period("day", day, day + datetime.timedelta(days=1))
    if kind == "month":
        start = day.replace(day=1)
        return Period("month", start, (start + datetime.timedelta(days=32)).replace(day=1))
    start = day.replace(month=1, day=1)
    return Period("year", start, start.replace(year=start.year + 1))


def period_of(year, month=None, day=None):
    """The period an archive address names; 404 for a date that does not exist."""
    try:
        if day is not None:
            return period("day", datetime.date(year, month, day))
        if month is not None:
            return period("month", datetime.date(year, month, 1))
        return period("year", datetime.date(year, 1, 1))
    except (ValueError, OverflowError) as error:
        raise Http404("No such date") from error


def neighbours(current, published):
    """The nearest earlier and later periods of the same kind with something published in
    them (either may be None), in one query."""
    before, after = published.published_around(current.start, current.end)
    return (
        period(current.kind, timezone.localtime(before).date()) if before else None,
        period(current.kind, timezone.localtime(after).date()) if after else None,
    )


@dataclass(frozen=True)
class Slot:
    """A day of a month's calendar or a month of a year: linked when anything is in it."""

    period: Period
    has_articles: bool

    @property
    def url(self):
        return self.period.get_absolute_url() if self.has_articles else ""


def _slots(periods, published):
    found = published.periods_with_articles([(p.start, p.end) for p in periods])
    return [Slot(p, has) for p, has in zip(periods, found, strict=True)]


def month_calendar(month, published):
    """The weeks of *month* (Monday first), each a list of seven `Slot`s or None for the
    days of the neighbouring months, in one query."""
    weeks = calendar.Calendar().monthdatescalendar(month.start.year, month.start.month)
    days = [period("day", d) for week in weeks for d in week if d.month == month.start.month]
    slots = {slot.period.start: slot for slot in _slots(days, published)}
    return [[slots.get(d) for d in week] for week in weeks]


def year_months(year, published):
    """The twelve months of *year* as `Slot`s, in one query."""
    months = [period("month", year.start.replace(month=m)) for m in range(1, 13)]
    return _slots(months, published)


def index(published):
    """Every year with something published, newest first, each with its twelve months as
    `Slot`s: ``[(year Period, [Slot, …]), …]``, in three queries."""
    first, last = published.first_published_from(None), published.last_published_before(None)
    if first is None:
        return []
    first_year, last_year = timezone.localtime(first).year, timezone.localtime(last).year
    years = [period("year", datetime.date(y, 1, 1)) for y in range(last_year, first_year - 1, -1)]
    months = [period("month", y.start.replace(month=m)) for y in years for m in range(1, 13)]
    slots = _slots(months, published)
    return [(year, slots[12 * n : 12 * n + 12]) for n, year in enumerate(years)]
