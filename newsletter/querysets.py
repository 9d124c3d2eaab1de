"""Reading rules of the newsletter: who receives, which issues readers may see, which
deliveries a sending lane may take."""

from contextlib import contextmanager

from django.db import connection, models, transaction
from django.db.models import Count, Q
from django.utils import timezone


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Subscribers an issue goes to: confirmed, not paused, not unsubscribed or bounced."""
        return self.filter(status="active")

    def counts_by_status(self):
        """{status: number} for every status, in one query (zero for the missing ones)."""
        counts = dict.fromkeys(self.model.Status.values, 0)
        for row in self.order_by().values("status").annotate(n=Count("pk")):
            counts[row["status"]] = row["n"]
        return counts


class IssueQuerySet(models.QuerySet):
    def public(self):
        """Issues readers may read on the site: those that went out (or are going out)."""
        return self.filter(status__in=["sending", "sent"])

    def due(self, now=None):
        """Scheduled issues whose time has come."""
        return self.filter(status="scheduled", send_at__lte=now or timezone.now())

    def with_figures(self):
        """Each issue with `sent_count`, `failed_count`, `pending_count` and
        `unsubscribe_count` (the unsubscribes its e-mails caused)."""
        return self.annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status="sent"), distinct=True),
            failed_count=Count(
                "deliveries",
                filter=Q(deliveries__status__in=["failed", "bounced"]),
                distinct=True,
            ),
            pending_count=Count(
                "deliveries",
                filter=Q(deliveries__status__in=["pending", "deferred", "sending", "handed"]),
                distinct=True,
            ),
            unsubscribe_count=Count("unsubscribes", distinct=True),
        )


class DeliveryQuerySet(models.QuerySet):
    def claimable(self, now=None):
        """Deliveries a lane may take now: never tried, or deferred and due again."""
        return self.filter(
            status__in=["pending", "deferred"], next_attempt_at__lte=now or timezone.now()
        )

    def in_flight(self):
        """Deliveries a lane has claimed and not settled yet."""
        return self.filter(status__in=["sending", "handed"])

    def unsettled(self):
        return self.filter(status__in=["pending", "deferred", "sending", "handed"])


@contextmanager
def relaxed_commit():
    """A transaction whose commit need not wait for the disk (PostgreSQL): for settling rows
    already handed over. Lost in a database crash, such a row stays "handed", which counts as
    sent, so no message is ever sent twice for it."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield
