"""Sending an issue to every subscriber exactly once.

Each (issue, subscriber) has one `Delivery` row (a unique constraint). A sending lane (a chain
of `issue_send_batch` tasks, newsletter/chains.py) claims a batch of due rows with a token
and a lease, and for each row speaks SMTP itself on the connection Django's mailer opened
(MAILERS, EMAIL_HOST …):

1. ``MAIL FROM``, ``RCPT TO``, ``DATA`` and the whole message, *without* the final ``.``;
2. the row is marked *handed* (committed);
3. the final ``.``; the server's answer settles the row: sent (2xx), deferred with backoff
   (4xx), bounced (5xx, and the address is marked bounced).

A server keeps nothing of a transaction whose connection drops before the final ``.``
(RFC 5321 §4.1.1.4), so a worker killed (SIGKILL), or a database gone, before step 2 leaves
a row that was certainly not delivered: when its lease runs out it is taken back and sent
again. After step 2 the message is with the server; a row left *handed* is counted as sent.
What remains is the few microseconds between the commit of step 2 and writing the ``.``: a
kill exactly there loses that one message (it is counted as sent), it never doubles it.

A connection that cannot be opened, or a server that closes it (421), leaves the batch's
unhanded rows pending: the issue shows why it waits, and the lane tries again with a growing
pause until the server answers, then goes on where it stopped.
"""

import logging
import re
import secrets
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import transaction
from django.db.models import F, Min
from django.tasks import task
from django.utils import timezone

from pagecache.state import content_changed

from . import chains
from .mime import Prototype
from .models import Delivery, Issue, Subscriber
from .querysets import relaxed_commit
from .rendering import (
    issue_articles,
    issue_render,
    list_id,
    message_build,
    message_id,
    sender_address,
    subscriber_links,
)

logger = logging.getLogger("digest.newsletter")


class ServerTrouble(Exception):
    """The mail server cannot be reached or will not take mail now: wait and resume."""


def _now():
    return timezone.now()


def _lease():
    return timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)


# --- Claims -------------------------------------------------------------------------------


def deliveries_claim(issue, size):
    """Up to *size* due deliveries of *issue*, claimed for this lane (status "sending", a
    token, a lease). PostgreSQL skips rows another lane is claiming; everywhere the claim
    is a conditional UPDATE, so no row is ever claimed twice."""
    token = secrets.token_hex(16)
    now = _now()
    with transaction.atomic():
        # No ORDER BY: PostgreSQL stops after *size* due rows of the index instead of
        # sorting every pending row of a 100,000-strong issue for each batch (80 ms).
        ids = list(
            Delivery.objects.claimable(now)
            .filter(issue=issue)
            .order_by()
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.claimable(now).filter(pk__in=ids).update(
            status=Delivery.Status.SENDING, claim=token, lease_until=now + _lease()
        )
    return list(
        Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .prefetch_related("subscriber__categories")
        .order_by("pk")
    )


def deliveries_take_back(issue=None, now=None):
    """Claims whose lease ran out (their worker died): rows never handed over go back to
    pending; rows handed over count as sent (the server has them). Returns (pending, sent)."""
    now = now or _now()
    stale = Delivery.objects.filter(lease_until__lt=now)
    if issue is not None:
        stale = stale.filter(issue=issue)
    back = stale.filter(status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING, claim="", lease_until=None
    )
    handed = stale.filter(status=Delivery.Status.HANDED).update(
        status=Delivery.Status.SENT,
        sent_at=now,
        lease_until=None,
        last_error="The worker stopped after handing it to the mail server; counted as sent.",
    )
    return back, handed


def _release(deliveries):
    """Unhanded rows of a batch back to pending (no attempt counted: the server was away)."""
    Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], claim__in={d.claim for d in deliveries},
        status=Delivery.Status.SENDING,
    ).update(status=Delivery.Status.PENDING, claim="", lease_until=None)  # fmt: skip


def _settle(delivery, status, error=""):
    now = _now()
    fields = {"status": status, "lease_until": None, "last_error": error[:300]}
    if status == Delivery.Status.SENT:
        fields["sent_at"] = now
    Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(**fields)


def retry_delay(attempts):
    """Seconds before the next try after *attempts* temporary failures: doubling, capped."""
    return min(settings.NEWSLETTER_RETRY_SECONDS * 2 ** (attempts - 1), 6 * 3600)


def _defer(delivery, error):
    attempts = delivery.attempts + 1
    if attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(
            status=Delivery.Status.FAILED, attempts=attempts, lease_until=None,
            last_error=f"Gave up after {attempts} tries: {error}"[:300],
        )  # fmt: skip
        return
    Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(
        status=Delivery.Status.DEFERRED,
        attempts=attempts,
        claim="",
        lease_until=None,
        next_attempt_at=_now() + timedelta(seconds=retry_delay(attempts)),
        last_error=error[:300],
    )


def _bounce(delivery, error):
    _settle(delivery, Delivery.Status.BOUNCED, error)
    Subscriber.objects.filter(pk=delivery.subscriber_id).update(
        status=Subscriber.Status.BOUNCED, bounced_at=_now(), bounce_reason=error[:300]
    )


def _reply_text(code, reply):
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {' '.join(text.split())}"


def _settle_reply(delivery, code, reply):
    """Settle *delivery* by the server's answer to its message (or its recipient)."""
    text = _reply_text(code, reply)
    if 200 <= code < 300:
        _settle(delivery, Delivery.Status.SENT)
    elif code == 421:
        raise ServerTrouble(f"The mail server is closing the connection: {text}")
    elif 400 <= code < 500:
        _defer(delivery, text)
    else:
        _bounce(delivery, text)


# --- SMTP ---------------------------------------------------------------------------------

_LEADING_DOT = re.compile(rb"(?m)^\.")


def _mark_handed(deliveries):
    """Mark *deliveries* (claimed rows of one batch) handed over, in one durable commit;
    returns the ids that were (a row whose claim was taken back is not)."""
    if not deliveries:
        return set()
    ids = [d.pk for d in deliveries]
    claim = deliveries[0].claim
    updated = Delivery.objects.filter(
        pk__in=ids, claim=claim, status=Delivery.Status.SENDING
    ).update(status=Delivery.Status.HANDED)
    if updated == len(ids):
        return set(ids)
    return set(
        Delivery.objects.filter(pk__in=ids, claim=claim, status=Delivery.Status.HANDED).values_list(
            "pk", flat=True
        )
    )


def _settle_sent(deliveries, note=""):
    if not deliveries:
        return
    with relaxed_commit():
        Delivery.objects.filter(
            pk__in=[d.pk for d in deliveries], claim=deliveries[0].claim
        ).update(status=Delivery.Status.SENT, sent_at=_now(), lease_until=None, last_error=note)


class _Connection:
    """One SMTP connection of a lane: an instance of the MAILERS backend, opened by it (host,
    port, TLS, login from the settings), then spoken to directly."""

    def __init__(self):
        self.backend = mail.mailers[settings.NEWSLETTER_MAILER]

    def smtp(self):
        if self.backend.connection is None:
            _open(self.backend)
            # Small commands and their answers go at once (no Nagle delay per command).
            self.backend.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.backend.connection.ehlo_or_helo_if_needed()
        return self.backend.connection

    def drop(self):
        """Close without QUIT: a transaction cut before its final dot is thrown away."""
        if self.backend.connection is not None:
            try:
                self.backend.connection.close()
            finally:
                self.backend.connection = None

    def close(self):
        try:
            self.backend.close()
        except (OSError, smtplib.SMTPException):
            self.backend.connection = None


def _begin(smtp, sender, recipient, data):
    """MAIL, RCPT, DATA and the whole message but its final dot. None when the server waits
    for the dot; (code, reply) when it refused the recipient or the data."""
    code, reply = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        raise ServerTrouble(f"The mail server refused the sender: {_reply_text(code, reply)}")
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        smtp.rset()
        return code, reply
    code, reply = smtp.docmd("data")
    if code != 354:
        smtp.rset()
        return code, reply
    body = _LEADING_DOT.sub(b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    return None


def _open(backend):
    try:
        backend.open()
    except (OSError, smtplib.SMTPException) as error:
        raise ServerTrouble(_describe(error)) from error


def _describe(error):
    if isinstance(error, ConnectionRefusedError):
        return f"The mail server refused the connection ({settings.NEWSLETTER_SERVER_LABEL})."
    if isinstance(error, socket.timeout | TimeoutError):
        return f"The mail server did not answer in time ({settings.NEWSLETTER_SERVER_LABEL})."
    return f"The mail server cannot be reached: {error}"


class _Editions:
    """Each edition (a set of sections) of the issue rendered once per batch."""

    def __init__(self, issue):
        self.issue = issue
        self.articles = issue_articles(issue)
        self.rendered = {}
        self.prototypes = {}
        self.sender = sender_address()[0]
        self.list_id = list_id()

    def render(self, subscriber):
        edition = frozenset(c.pk for c in subscriber.categories.all())
        if edition not in self.rendered:
            self.rendered[edition] = issue_render(self.issue, self.articles, edition or None)
        return edition, self.rendered[edition]

    def message_bytes(self, subscriber):
        edition, rendered = self.render(subscriber)
        if edition not in self.prototypes:
            self.prototypes[edition] = Prototype(rendered, sender=self.sender, list_id=self.list_id)
        unsubscribe, preferences = subscriber_links(subscriber, self.issue)
        return self.prototypes[edition].message(
            to=subscriber.email, message_id=message_id(self.issue, subscriber),
            unsubscribe=unsubscribe, preferences=preferences,
        )  # fmt: skip


def batch_send(issue, deliveries):
    """Send *deliveries* (claimed rows of *issue*); ServerTrouble when the server is away
    (the rows not handed over are released first). Returns the number of rows settled.

    Over SMTP, a group of messages goes at once, one per connection (NEWSLETTER_CONNECTIONS):
    each waits for its final dot while one commit marks the whole group handed over, so the
    disk's flush is shared by the group instead of paid per message."""
    editions = _Editions(issue)
    backend = mail.mailers[settings.NEWSLETTER_MAILER]
    if not isinstance(backend, SMTPBackend):
        return _send_through_backend(backend, editions, deliveries)
    pool = [
        _Connection() for _ in range(max(1, min(settings.NEWSLETTER_CONNECTIONS, len(deliveries))))
    ]
    sender = backend.prep_address(editions.sender)
    remaining, group = list(deliveries), []
    settled = 0
    renew_at = _now() + _lease() / 2
    try:
        while remaining:
            if _now() > renew_at:
                _renew(remaining)
                renew_at = _now() + _lease() / 2
            group, remaining = remaining[: len(pool)], remaining[len(pool) :]
            settled += len(group)
            _send_group(issue, editions, group, pool, sender, backend)
    except ServerTrouble:
        _release(remaining + group)
        raise
    finally:
        for connection in pool:
            connection.close()
    return settled


def _prepare(editions, delivery, backend):
    """(recipient, message bytes), or None once settled here (skipped, invalid address)."""
    subscriber = delivery.subscriber
    _, rendered = editions.render(subscriber)
    if rendered.is_empty:
        _settle(delivery, Delivery.Status.SKIPPED, "Nothing in the reader's sections.")
        return None
    try:
        return backend.prep_address(subscriber.email), editions.message_bytes(subscriber)
    except ValueError as error:  # an address no server could take (a line break, non-ASCII)
        _settle(delivery, Delivery.Status.FAILED, f"Not a valid address: {error}")
        return None


def _send_group(issue, editions, group, pool, sender, backend):
    waiting = []
    try:
        for delivery, connection in zip(group, pool, strict=False):
            prepared = _prepare(editions, delivery, backend)
            if prepared is None:
                continue
            refused = _begin(connection.smtp(), sender, *prepared)
            if refused:
                _settle_reply(delivery, *refused)
            else:
                waiting.append((delivery, connection))
    except (OSError, smtplib.SMTPServerDisconnected) as error:
        for _, connection in waiting:
            connection.drop()
        raise ServerTrouble(_describe(error)) from error
    except BaseException:
        for _, connection in waiting:
            connection.drop()
        raise
    try:
        handed = _mark_handed([d for d, _ in waiting])
    except BaseException:
        for _, connection in waiting:
            connection.drop()  # the server throws the unfinished messages away
        raise
    for delivery, connection in waiting:
        if delivery.pk not in handed:
            connection.drop()  # its claim was taken back: another lane sends it
    dotted = []
    for delivery, connection in waiting:
        if delivery.pk in handed:
            try:
                connection.smtp().send(b".\r\n")
                dotted.append((delivery, connection))
            except (OSError, smtplib.SMTPException) as error:
                _settle(
                    delivery, Delivery.Status.SENT, f"Connection lost at the final dot: {error}"
                )
                connection.drop()
    sent, unanswered, trouble = [], [], None
    for delivery, connection in dotted:
        try:
            code, reply = connection.smtp().getreply()
        except (OSError, smtplib.SMTPException) as error:
            unanswered.append(delivery)
            connection.drop()
            trouble = trouble or f"The mail server went away: {error}"
            continue
        if 200 <= code < 300:
            sent.append(delivery)
        elif code == 421:
            # Refused at the very end: not delivered; again once the server is back.
            Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(
                status=Delivery.Status.PENDING, claim="", lease_until=None
            )
            connection.drop()
            trouble = trouble or f"The mail server is closing: {_reply_text(code, reply)}"
        else:
            _settle_reply(delivery, code, reply)
    _settle_sent(sent)
    _settle_sent(unanswered, "No answer after the message was handed over; counted as sent.")
    if trouble:
        raise ServerTrouble(trouble)


def _send_through_backend(backend, editions, deliveries):
    """Any other MAILERS backend (the console in development, locmem in tests): Django's
    EmailMessage, one at a time."""
    for delivery in deliveries:
        subscriber = delivery.subscriber
        _, rendered = editions.render(subscriber)
        if rendered.is_empty:
            _settle(delivery, Delivery.Status.SKIPPED, "Nothing in the reader's sections.")
            continue
        message = message_build(rendered=rendered, issue=editions.issue, subscriber=subscriber)
        try:
            message.message()
        except ValueError as error:
            _settle(delivery, Delivery.Status.FAILED, f"Not a valid address: {error}")
            continue
        _mark_handed([delivery])
        backend.send_messages([message])
        _settle_sent([delivery])
    return len(deliveries)


def _renew(deliveries):
    if deliveries:
        Delivery.objects.filter(
            pk__in=[d.pk for d in deliveries], claim=deliveries[0].claim,
            status=Delivery.Status.SENDING,
        ).update(lease_until=_now() + _lease())  # fmt: skip


# --- Lanes --------------------------------------------------------------------------------


def lanes_start(issue):
    for lane in range(settings.NEWSLETTER_LANES):
        chains.chain_start(chains.lane_key(issue.pk, lane), issue_send_batch, issue.pk, lane)


def lanes_revive(issue):
    """Restart the lanes of *issue* whose task died with its worker; and the clock."""
    revived = 0
    for lane in range(settings.NEWSLETTER_LANES):
        key = chains.lane_key(issue.pk, lane)
        revived += chains.chain_revive(key, issue_send_batch, issue.pk, lane)
    chains.chain_revive(chains.CLOCK, chains.chain_task(chains.CLOCK))
    return revived


def issue_wait(issue, reason):
    now = _now()
    Issue.objects.filter(pk=issue.pk).update(
        waiting_reason=reason[:300],
        waiting_since=F("waiting_since") if issue.waiting_since else now,
    )
    logger.warning("Issue %s waits for the mail server: %s", issue.pk, reason)


def _wait_delay(issue):
    """Seconds to wait for the mail server: doubling with the time it has been away."""
    base = settings.NEWSLETTER_SERVER_RETRY_SECONDS
    if not issue.waiting_since:
        return base
    away = (_now() - issue.waiting_since).total_seconds()
    return min(max(base, away), settings.NEWSLETTER_SERVER_RETRY_MAX_SECONDS)


def issue_finish_if_done(issue):
    """Mark *issue* sent once no delivery is left to settle; True if this call did."""
    if Delivery.objects.filter(issue=issue).unsettled().exists():
        return False
    done = Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
        status=Issue.Status.SENT, finished_at=_now(), waiting_reason="", waiting_since=None
    )
    if done:
        content_changed()  # the issue is on the site now: cached pages must show it
        logger.info("Issue %s sent", issue.pk)
    return bool(done)


def lane_run(*, issue_id, lane, generation):
    """One step of a sending lane: claim a batch, send it, enqueue the next step."""
    key = chains.lane_key(issue_id, lane)
    if not chains.chain_beat(key, generation):
        return "superseded"
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None or issue.status != Issue.Status.SENDING:
        chains.chain_stop(key)
        return "not sending"
    deliveries_take_back(issue)
    lanes_revive(issue)
    batch = deliveries_claim(issue, settings.NEWSLETTER_BATCH_SIZE)
    if batch:
        try:
            sent = batch_send(issue, batch)
        except ServerTrouble as trouble:
            issue_wait(issue, str(trouble))
            issue.refresh_from_db(fields=["waiting_since"])
            chains.chain_continue(key, generation, issue_send_batch, issue_id, lane,
                                  delay=_wait_delay(issue))  # fmt: skip
            return f"waiting: {trouble}"
        if issue.waiting_reason:
            Issue.objects.filter(pk=issue.pk).update(waiting_reason="", waiting_since=None)
        chains.chain_continue(key, generation, issue_send_batch, issue_id, lane)
        return f"sent {sent}"
    if issue_finish_if_done(issue):
        chains.chain_stop(key)
        return "finished"
    # Nothing due now: rows are deferred, or in another lane's hands. Look again when the
    # next deferred row is due, and at least every half lease (to take back stalled claims).
    next_due = Delivery.objects.filter(issue=issue, status=Delivery.Status.DEFERRED).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    delay = settings.NEWSLETTER_LEASE_SECONDS / 2
    if next_due is not None:
        delay = max(0.5, min(delay, (next_due - _now()).total_seconds()))
    chains.chain_continue(key, generation, issue_send_batch, issue_id, lane, delay=delay)
    return "idle"


@task()
def issue_send_batch(issue_id, lane, generation):
    """One step of a sending lane (a task: django-tasks-db's `db_worker` runs it)."""
    return lane_run(issue_id=issue_id, lane=lane, generation=generation)
