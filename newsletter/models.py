"""The Daily Digest by e-mail: subscribers, the issues editors shape, their items, one
delivery row per (issue, subscriber), and the task chains that send them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category, TimeStampedModel

from .querysets import DeliveryQuerySet, IssueQuerySet, SubscriberQuerySet


class Subscriber(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"

    class Origin(models.TextChoices):
        FORM = "form", "Subscribe form"
        IMPORT = "import", "Imported list"
        ADMIN = "admin", "Added in the admin"

    email = models.EmailField(
        "e-mail address",
        max_length=254,
        unique=True,
        help_text="Stored lower-case with an ASCII (IDNA) domain, e.g. reader@example.com.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="newsletter_subscribers",
        help_text="Only these sections of each issue; none means the whole daily digest.",
    )
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.FORM)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The issue whose unsubscribe link or header was used (its "unsubscribes caused").
    unsubscribed_by_issue = models.ForeignKey(
        "Issue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unsubscribes",
        editable=False,
    )
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(max_length=300, blank=True, help_text="The server's answer.")

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "subscriber"
        verbose_name_plural = "subscribers"
        indexes = [models.Index(fields=["status", "id"], name="subscriber_status_idx")]

    def __str__(self):
        return self.email

    @property
    def edition(self):
        names = [c.name for c in self.categories.all()]
        return ", ".join(names) if names else "The whole daily digest"


class Issue(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    date = models.DateField(
        unique=True,
        help_text="The day this is the digest of, e.g. 2026-12-01: /digest/2026-12-01/.",
    )
    subject = models.CharField(
        max_length=200, blank=True, help_text="e.g. “The Daily Digest – December 1, 2026”."
    )
    intro = models.TextField(
        blank=True, help_text="A few sentences above the stories; blank lines make paragraphs."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    send_at = models.DateTimeField(
        "send at",
        null=True,
        blank=True,
        help_text="When it goes out, in the newsroom's time zone. Empty: the daily time.",
    )
    covers_from = models.DateTimeField(null=True, blank=True, editable=False)
    covers_until = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set while the mail server cannot be reached: the issue waits and resumes by itself.
    waiting_reason = models.CharField(max_length=300, blank=True, editable=False)
    waiting_since = models.DateTimeField(null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_issues_sent",
        editable=False,
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = "issue"
        verbose_name_plural = "issues"
        permissions = [("send_issue", "Can send, schedule and test newsletter issues")]

    def __str__(self):
        return self.subject or self.default_subject()

    def default_subject(self):
        return f"The Daily Digest – {self.date:%B} {self.date.day}, {self.date.year}"

    def get_absolute_url(self):
        return reverse("newsletter:issue", kwargs={"day": self.date.isoformat()})

    @property
    def is_public(self):
        return self.status in {self.Status.SENDING, self.Status.SENT}


class IssueItem(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="newsletter_items")
    position = models.PositiveIntegerField(
        default=0, help_text="Lower numbers come first; 10, 20, 30… leaves room to insert."
    )
    section = models.CharField(
        max_length=100,
        blank=True,
        help_text="The heading above it, e.g. “Energy”; empty continues the section above.",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "item"
        verbose_name_plural = "items"
        constraints = [models.UniqueConstraint(fields=["issue", "article"], name="issue_item_once")]

    def __str__(self):
        return str(self.article)


class Delivery(models.Model):
    """The send log: one row per (issue, subscriber), claimed by a sending lane before the
    SMTP call and settled after (newsletter/sending.py says how that makes it exactly once)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Claimed by a lane"
        HANDED = "handed", "Handed to the mail server"
        SENT = "sent", "Sent"
        DEFERRED = "deferred", "Deferred (temporary error, will retry)"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced (permanent error)"
        SKIPPED = "skipped", "Skipped (nothing in the reader's sections)"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # The claim: a token per batch and the time after which a stalled claim is taken back.
    claim = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "delivery"
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="delivery_once_per_subscriber"
            )
        ]
        indexes = [
            # A lane's claim: the issue's due rows, oldest first.
            models.Index(fields=["issue", "status", "next_attempt_at"], name="delivery_claim_idx"),
            # Taking back stalled claims.
            models.Index(
                fields=["lease_until"],
                condition=Q(status__in=["sending", "handed"]),
                name="delivery_in_flight_idx",
            ),
        ]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"


class Chain(models.Model):
    """A self-continuing chain of tasks (the newsletter's clock, an issue's sending lane):
    its generation and the time by which it promised to beat again. A chain whose task died
    with its worker (SIGKILL) misses that time and is started again under a new generation;
    a task of an older generation stops when it sees it is superseded."""

    key = models.CharField(max_length=64, unique=True)
    generation = models.PositiveIntegerField(default=0)
    beat_due = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key"]
        verbose_name = "task chain"
        verbose_name_plural = "task chains"

    def __str__(self):
        return f"{self.key} (generation {self.generation})"
