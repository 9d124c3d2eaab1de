"""Writes of the newsletter: subscribing (double opt-in), confirming, unsubscribing and
preferences; importing a list; assembling, scheduling, testing and sending an issue; the
daily clock. Views, the admin and the tasks all call these."""

import csv
import io
import logging
import smtplib
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.chrome import menu_tree
from articles.home import FEATURED, Shown
from articles.models import Article
from pagecache.state import content_changed

from . import chains
from .addresses import address_normalize
from .models import Delivery, Issue, IssueItem, Subscriber
from .rendering import absolute, issue_articles, issue_render, message_build
from .tokens import confirm_token

logger = logging.getLogger("digest.newsletter")

SEND_PERMISSION = "newsletter.send_issue"


def site_changed():
    """An issue appeared on (or left) the public site: cached pages must not hide it."""
    content_changed()


# --- Subscribers ----------------------------------------------------------------------------


def subscriber_subscribe(*, email, categories=()):
    """A reader asked to subscribe *email* (already normalised). Whatever the address's
    state, the caller answers the same; an e-mail goes out only where it helps: a
    confirmation link to a new, pending, unsubscribed or bounced address, a "you are already
    subscribed" note with the preferences link to an active or paused one. Nothing else is
    sent before the reader confirms."""
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(email=email)
        if created or subscriber.status != Subscriber.Status.ACTIVE:
            # A new choice of sections replaces the old one only once confirmed by the link;
            # until then (and for a new address) the choice is kept on the pending row.
            if created or subscriber.status == Subscriber.Status.PENDING:
                subscriber.categories.set(categories)
        kind = (
            "already" if subscriber.status in {Subscriber.Status.ACTIVE, Subscriber.Status.PAUSED}
            else "confirm"
        )  # fmt: skip
        subscriber_mail.enqueue(subscriber.pk, kind)
    return subscriber


def subscriber_confirm(*, subscriber):
    """The reader opened their confirmation link: they receive the next issue."""
    if subscriber.status == Subscriber.Status.ACTIVE:
        return subscriber
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.bounced_at = None
    subscriber.bounce_reason = ""
    subscriber.save()
    return subscriber


def subscriber_unsubscribe(*, subscriber, issue_id=None):
    """Stop every e-mail to *subscriber* at once, including an issue being sent now."""
    from .models import Issue

    with transaction.atomic():
        if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
            subscriber.status = Subscriber.Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.unsubscribed_by_issue = Issue.objects.filter(pk=issue_id).first()
            subscriber.save()
        Delivery.objects.filter(
            subscriber=subscriber, status__in=[Delivery.Status.PENDING, Delivery.Status.DEFERRED]
        ).update(status=Delivery.Status.SKIPPED, last_error="Unsubscribed before it was sent.")
    return subscriber


def subscriber_set_preferences(*, subscriber, categories, paused):
    """The preferences page: which sections, and whether to pause for now."""
    with transaction.atomic():
        subscriber.categories.set(categories)
        if subscriber.status in {Subscriber.Status.ACTIVE, Subscriber.Status.PAUSED}:
            subscriber.status = Subscriber.Status.PAUSED if paused else Subscriber.Status.ACTIVE
        subscriber.save()
    return subscriber


def subscriber_mail_send(*, subscriber, kind):
    """The confirmation e-mail ("confirm") or the "already subscribed" note ("already")."""
    from .rendering import subscriber_links

    unsubscribe, preferences = subscriber_links(subscriber)
    context = {
        "confirm_url": absolute(reverse("newsletter:confirm", args=[confirm_token(subscriber)])),
        "preferences_url": preferences,
        "unsubscribe_url": unsubscribe,
        "days": settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400,
        "site_url": absolute("/"),
    }
    subject = (
        "Confirm your subscription to the Daily Digest" if kind == "confirm"
        else "You are already subscribed to the Daily Digest"
    )  # fmt: skip
    body = render_to_string(f"newsletter/email/{kind}.txt", context)
    message = mail.EmailMessage(
        subject=subject, body=body, from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[subscriber.email],
    )  # fmt: skip
    mail.mailers[settings.NEWSLETTER_MAILER].send_messages([message])


IMPORT_MAX_ROWS = 200_000


def subscriber_import(*, data):
    """Subscribers from a CSV file's text (a column ``email``, or addresses in the first
    column): new addresses are active (the list they come from had their consent), known
    ones are left as they are: an unsubscribed or bounced address is never subscribed
    again. Returns {"added", "known", "kept_unsubscribed", "invalid": [(line, message)]}."""
    rows = csv.reader(io.StringIO(data))
    header = next(rows, None)
    column = 0
    report = {"added": 0, "known": 0, "kept_unsubscribed": 0, "invalid": []}
    first_line = 2
    if header is None:
        return report
    lowered = [cell.strip().lower() for cell in header]
    if "email" in lowered or "e-mail" in lowered:
        column = lowered.index("email") if "email" in lowered else lowered.index("e-mail")
    else:
        rows = iter([header, *rows])
        first_line = 1
    addresses = {}
    for line, row in enumerate(rows, start=first_line):
        if line > IMPORT_MAX_ROWS:
            report["invalid"].append((line, f"Stopped: at most {IMPORT_MAX_ROWS:,} rows."))
            break
        if not row or not any(cell.strip() for cell in row):
            continue
        try:
            addresses.setdefault(address_normalize(row[column] if column < len(row) else ""), line)
        except ValidationError as error:
            report["invalid"].append((line, error.messages[0]))
    existing = {}
    wanted = list(addresses)
    for start in range(0, len(wanted), 1000):
        existing.update(
            Subscriber.objects.filter(email__in=wanted[start : start + 1000]).values_list(
                "email", "status"
            )
        )
    now = timezone.now()
    new = [
        Subscriber(email=a, status=Subscriber.Status.ACTIVE, origin=Subscriber.Origin.IMPORT,
                   confirmed_at=now)
        for a in wanted if a not in existing
    ]  # fmt: skip
    with transaction.atomic():
        Subscriber.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    report["added"] = len(new)
    for status in existing.values():
        if status in {Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED}:
            report["kept_unsubscribed"] += 1
        else:
            report["known"] += 1
    return report


def subscribers_csv(queryset):
    """The subscribers of *queryset* as CSV lines (an iterator, for a streaming response)."""

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    yield writer.writerow(["email", "status", "sections", "subscribed", "confirmed"])
    rows = queryset.order_by("pk").prefetch_related("categories")
    for subscriber in rows.iterator(chunk_size=2000):
        yield writer.writerow([
            subscriber.email,
            subscriber.status,
            ";".join(c.slug for c in subscriber.categories.all()),
            subscriber.created_at.isoformat(),
            subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
        ])  # fmt: skip


# --- Issues ---------------------------------------------------------------------------------


def _local(day, at):
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def send_time(day):
    """When the issue of *day* goes out by default (NEWSLETTER_SEND_AT, newsroom time)."""
    return _local(day, time.fromisoformat(settings.NEWSLETTER_SEND_AT))


def issue_pick_articles(*, since, until):
    """What an issue holds: the articles published after *since* up to *until*, ordered as
    the home page orders them (lead, featured, then a block per menu category in the
    editors' menu order, then the rest); [(article, section heading)]."""
    published = Article.objects.published(now=until).filter(published_at__gt=since)
    latest = list(published.for_cards().newest_first()[: settings.NEWSLETTER_MAX_ITEMS * 3])
    featured = [a for a in latest if a.is_featured][:4] if latest else []
    if not latest:
        return []
    menu = menu_tree()
    section_of = {}
    for section in menu:
        section_of[section.pk] = section
        for child in section.children_ids:
            section_of[child] = section
    for article in latest:
        section = section_of.get(article.category_id)
        article.section_id = section.pk if section else None
    # The home page's de-duplication (articles.home): the lead, then the featured stories.
    shown = Shown()
    lead = shown.take([featured[0] if featured else latest[0]], 1)
    top = shown.take([*featured, *latest], FEATURED)
    picked, seen = [], set()

    def add(article, heading):
        if article.pk not in seen and len(picked) < settings.NEWSLETTER_MAX_ITEMS:
            seen.add(article.pk)
            picked.append((article, heading))

    for article in lead:
        add(article, "Top story")
    for article in top:
        add(article, "Featured")
    for section in menu:
        for article in latest:
            if article.section_id == section.pk:
                add(article, section.name)
    for article in latest:
        add(article, "More from the digest")
    return picked


@transaction.atomic
def issue_assemble(*, day, now=None, subject="", intro=""):
    """Create the issue of *day* from what was published since the last issue: its items
    in the home page's order, its send time the daily time. Refuses a day that has one."""
    now = now or timezone.now()
    if Issue.objects.filter(date=day).exists():
        raise ValidationError({"date": f"There is already an issue for {day:%B} {day.day}."})
    previous = Issue.objects.filter(date__lt=day).order_by("-date").first()
    since = (
        previous.covers_until if previous and previous.covers_until
        else _local(day, time.min) - timedelta(days=1)
    )  # fmt: skip
    issue = Issue(date=day, subject=subject, intro=intro, covers_from=since, covers_until=now)
    issue.send_at = send_time(day)
    issue.full_clean()
    issue.save()
    IssueItem.objects.bulk_create(
        IssueItem(issue=issue, article=article, position=(n + 1) * 10, section=heading)
        for n, (article, heading) in enumerate(issue_pick_articles(since=since, until=now))
    )
    return issue


def _check_can_send(user):
    if user is not None and not user.has_perm(SEND_PERMISSION):
        raise PermissionDenied("Only editors may send or schedule the newsletter.")


def issue_schedule(*, issue, at, user=None):
    """Send *issue* at *at* (a task waits for that time; the clock checks too)."""
    _check_can_send(user)
    if issue.status not in {Issue.Status.DRAFT, Issue.Status.SCHEDULED}:
        raise ValidationError("This issue is already going out.")
    if at is None:
        raise ValidationError("Choose when to send it.")
    with transaction.atomic():
        issue.status = Issue.Status.SCHEDULED
        issue.send_at = at
        issue.save(update_fields=["status", "send_at", "updated_at"])
        task = issue_start if at <= timezone.now() else issue_start.using(run_after=at)
        task.enqueue(issue.pk)
    return issue


def issue_unschedule(*, issue, user=None):
    _check_can_send(user)
    Issue.objects.filter(pk=issue.pk, status=Issue.Status.SCHEDULED).update(
        status=Issue.Status.DRAFT
    )
    issue.refresh_from_db()
    return issue


def _deliveries_create(issue):
    """One pending delivery per receiving subscriber, in one statement (a 100,000-strong
    list in about a second); existing rows stay (the unique constraint)."""
    table = Delivery._meta.db_table
    subscribers = Subscriber._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        # Table names come from the models; values are parameters.
        cursor.execute(
            f"INSERT INTO {table} (issue_id, subscriber_id, status, attempts, next_attempt_at,"  # noqa: S608 # nosec B608
            " claim, last_error) SELECT %s, id, %s, 0, %s, '', ''"
            f" FROM {subscribers} WHERE status = %s"
            " ON CONFLICT (issue_id, subscriber_id) DO NOTHING",
            [issue.pk, Delivery.Status.PENDING, now, Subscriber.Status.ACTIVE],
        )
        return cursor.rowcount


def issue_send(*, issue, user=None):
    """Send *issue* now to every active subscriber (each exactly once)."""
    from .sending import lanes_start

    _check_can_send(user)
    with transaction.atomic():
        if not IssueItem.objects.filter(issue=issue).exists():
            raise ValidationError("This issue has no stories: add some before sending it.")
        started = Issue.objects.filter(
            pk=issue.pk, status__in=[Issue.Status.DRAFT, Issue.Status.SCHEDULED]
        ).update(status=Issue.Status.SENDING, started_at=timezone.now(), sent_by=user)
        if not started:
            raise ValidationError("This issue is already going out.")
        _deliveries_create(issue)
        issue.refresh_from_db()
        lanes_start(issue)
    site_changed()
    return issue


def issue_send_test(*, issue, to, user=None):
    """Send *issue* to *to* (the editor) now, as a subscriber of the whole digest would get
    it, with its subject marked; nothing is recorded. Raises ValidationError with the mail
    server's answer if it refuses."""
    _check_can_send(user)
    address = address_normalize(to)
    reader = Subscriber(pk=0, email=address)
    rendered = issue_render(issue, issue_articles(issue))
    rendered.subject = f"[Test] {rendered.subject}"
    message = message_build(rendered=rendered, issue=issue, subscriber=reader)
    try:
        mail.mailers[settings.NEWSLETTER_MAILER].send_messages([message])
    except smtplib.SMTPException as error:
        raise ValidationError(f"The mail server refused the test: {error}") from error
    except OSError as error:
        raise ValidationError(f"The mail server cannot be reached: {error}") from error
    return message


# --- The clock ------------------------------------------------------------------------------


def clock_run(*, now=None):
    """What the clock does on each tick: assemble today's issue at its time (if the daily
    issue is on), start scheduled issues whose time came, restart stalled sends. Returns the
    seconds until it needs to look again."""
    from .sending import deliveries_take_back, lanes_revive

    now = now or timezone.now()
    today = timezone.localdate(now)
    next_look = settings.NEWSLETTER_CLOCK_SECONDS
    if settings.NEWSLETTER_DAILY:
        assemble_at = send_time(today) - timedelta(minutes=settings.NEWSLETTER_ASSEMBLE_MINUTES)
        if now >= assemble_at:
            if not Issue.objects.filter(date=today).exists():
                issue = issue_assemble(day=today, now=now)
                if issue.items.exists():
                    issue_schedule(issue=issue, at=issue.send_at)
            assemble_at = send_time(today + timedelta(days=1)) - timedelta(
                minutes=settings.NEWSLETTER_ASSEMBLE_MINUTES
            )
        next_look = min(next_look, max(1, (assemble_at - now).total_seconds()))
    for issue in Issue.objects.due(now):
        try:
            issue_send(issue=issue)
        except ValidationError as error:
            Issue.objects.filter(pk=issue.pk).update(
                status=Issue.Status.DRAFT, waiting_reason=error.messages[0][:300]
            )
    deliveries_take_back(now=now)
    for issue in Issue.objects.filter(status=Issue.Status.SENDING):
        lanes_revive(issue)
    return next_look


def clock_ensure():
    """Start the clock if it is not running (idempotent): `manage.py newsletter_clock`."""
    return chains.chain_revive(chains.CLOCK, clock_tick)


# --- Tasks (Django's Tasks framework; django-tasks-db's `db_worker` runs them) -------------
# Each is a thin shell over a service above; the sending lanes' task is in sending.py.


@task(priority=10)
def subscriber_mail(subscriber_id, kind):
    """The confirmation e-mail or the "already subscribed" note."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None:
        subscriber_mail_send(subscriber=subscriber, kind=kind)


@task(priority=5)
def issue_start(issue_id):
    """A scheduled issue's time has come (a no-op if it was rescheduled or sent)."""
    issue = Issue.objects.filter(pk=issue_id, status=Issue.Status.SCHEDULED).first()
    if issue is not None and issue.send_at and issue.send_at <= timezone.now():
        issue_send(issue=issue)


@task(priority=20)
def clock_tick(generation):
    """The newsletter's clock: one tick, then the next (newsletter/chains.py)."""
    if not chains.chain_beat(chains.CLOCK, generation):
        return "superseded"
    delay = clock_run()
    chains.chain_continue(chains.CLOCK, generation, clock_tick, delay=delay)
    return f"next tick in {delay:.0f} s"


# The sending lanes revive a clock that died with its worker, without knowing this module.
chains.chain_register(chains.CLOCK, clock_tick)
