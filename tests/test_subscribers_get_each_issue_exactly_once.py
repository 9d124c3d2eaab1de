"""Every subscriber gets each issue exactly once, whatever happens while it is sent: a
temporary refusal is retried with backoff, a permanent one bounces the address, a mail server
that is down makes the issue wait and resume, a worker killed with SIGKILL mid-batch or a
database restart neither doubles nor drops a message. Counted at a real SMTP server."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from newsletter import services
from newsletter.models import Delivery, Issue, Subscriber
from newsletter.sending import retry_delay
from tests.newsletter_support import SMTPServer, part, run_tasks, run_until

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def smtp(settings):
    server = SMTPServer().start()
    settings.MAILERS = server.mailers()
    yield server
    server.stop()


@pytest.fixture
def issue(make_article):
    make_article(title="The Caspian summit opens")
    return services.issue_assemble(day=timezone.localdate())


def retry_time_has_come():
    Delivery.objects.filter(status="deferred").update(next_attempt_at=timezone.now())


def subscribers(*emails):
    return [Subscriber.objects.create(email=e, status="active") for e in emails]


def test_a_temporary_refusal_is_retried_with_backoff_then_delivered_once(smtp, issue, settings):
    settings.NEWSLETTER_RETRY_SECONDS = 60
    subscribers("slow@example.com", "fine@example.com")
    smtp.sink.answers["slow@example.com"] = ["451 4.7.1 Greylisted, try again later"] * 2
    services.issue_send(issue=issue)
    before = timezone.now()
    run_tasks()
    delivery = Delivery.objects.get(subscriber__email="slow@example.com")
    assert delivery.status == Delivery.Status.DEFERRED
    assert delivery.attempts == 1
    assert "451 4.7.1 Greylisted" in delivery.last_error
    assert before + timedelta(seconds=59) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + timedelta(seconds=61)
    assert retry_delay(2) == 120 and retry_delay(3) == 240  # doubling
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENDING
    assert run_until(
        lambda: Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT,
        each_round=retry_time_has_come,
    )
    assert smtp.sink.count_by_recipient() == {"slow@example.com": 1, "fine@example.com": 1}
    assert Delivery.objects.get(subscriber__email="slow@example.com").attempts == 2


def test_a_temporary_refusal_that_never_ends_fails_after_the_last_try(smtp, issue, settings):
    settings.NEWSLETTER_MAX_ATTEMPTS = 3
    subscribers("never@example.com")
    smtp.sink.answers["never@example.com"] = "452 4.2.2 Mailbox full"
    services.issue_send(issue=issue)
    assert run_until(
        lambda: Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT,
        each_round=retry_time_has_come,
    )
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "Gave up after 3 tries" in delivery.last_error
    assert smtp.messages == []
    assert Subscriber.objects.get().status == "active"  # full today is not gone for good


def test_a_permanent_refusal_bounces_the_address_and_is_never_retried(smtp, issue, make_article):
    subscribers("gone@example.com", "here@example.com")
    smtp.sink.answers["gone@example.com"] = "550 5.1.1 No such user here"
    services.issue_send(issue=issue)
    run_tasks()
    gone = Subscriber.objects.get(email="gone@example.com")
    assert gone.status == Subscriber.Status.BOUNCED
    assert "550 5.1.1 No such user here" in gone.bounce_reason
    assert Delivery.objects.get(subscriber=gone).attempts == 0
    figures = Issue.objects.with_figures().get(pk=issue.pk)
    assert (figures.status, figures.sent_count, figures.failed_count) == ("sent", 1, 1)
    make_article(title="The next day", published_at=timezone.now())
    next_issue = services.issue_assemble(day=timezone.localdate() + timedelta(days=1))
    services.issue_send(issue=next_issue)
    run_tasks()
    assert smtp.sink.count_by_recipient() == {"here@example.com": 2}


def test_when_the_mail_server_is_down_the_issue_waits_and_resumes(
    smtp, issue, editor_client, settings
):
    settings.NEWSLETTER_SERVER_LABEL = f"127.0.0.1:{smtp.port}"
    readers = subscribers(*(f"r{n}@example.com" for n in range(5)))
    smtp.stop()
    services.issue_send(issue=issue)
    run_tasks()
    waiting = Issue.objects.get(pk=issue.pk)
    assert waiting.status == Issue.Status.SENDING
    assert "The mail server refused the connection" in waiting.waiting_reason
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 0)}
    page = editor_client.get(f"/admin/newsletter/issue/{issue.pk}/change/").content.decode()
    assert "It resumes by itself when the server answers." in page
    assert "The mail server refused the connection" in page
    run_tasks(due_now=True)  # still down: it keeps waiting
    assert Issue.objects.get(pk=issue.pk).waiting_reason
    smtp.start()
    assert run_until(lambda: Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT)
    assert smtp.sink.count_by_recipient() == {r.email: 1 for r in readers}
    assert Issue.objects.get(pk=issue.pk).waiting_reason == ""


def test_a_stored_address_with_a_line_break_cannot_inject_a_header(smtp, issue):
    Subscriber.objects.create(email="a@b.c\r\nBcc: victim@example.com", status="active")
    subscribers("reader@example.com")
    services.issue_send(issue=issue)
    run_tasks()
    assert smtp.sink.count_by_recipient() == {"reader@example.com": 1}
    [message] = smtp.sink.to("reader@example.com")
    assert message["Bcc"] is None
    bad = Delivery.objects.get(subscriber__email__startswith="a@b.c")
    assert bad.status == Delivery.Status.FAILED and "Not a valid address" in bad.last_error
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT


def test_each_reader_gets_their_own_signed_links(smtp, issue, client):
    readers = subscribers("one@example.com", "two@example.com")
    services.issue_send(issue=issue)
    run_tasks()
    urls = {}
    for reader in readers:
        [message] = smtp.sink.to(reader.email)
        urls[reader.email] = message["List-Unsubscribe"].strip("<>")
        assert urls[reader.email] in part(message, "plain")
    assert urls["one@example.com"] != urls["two@example.com"]


# --- Real workers, killed -----------------------------------------------------------------


class WorkerDatabase:
    """The database the worker subprocesses use: the test database itself on PostgreSQL
    (its rows are committed: a transactional test), a copy in a file on SQLite (the test
    database lives in this process's memory), copied back when they are done."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        self.file = tmp_path / "worker.sqlite3"
        db = connection.settings_dict
        if self.vendor == "postgresql":
            host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            self.url = f"postgres://{db['USER']}@{host}/{db['NAME']}"
        else:
            self.url = f"sqlite:///{self.file}"

    def hand_over(self):
        if self.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)

    def take_back(self):
        if self.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(self.file) as source:
                source.backup(connection.connection)

    def unsettled(self):
        if self.vendor == "sqlite":
            with sqlite3.connect(self.file, timeout=30) as db:
                rows = db.execute(
                    "SELECT COUNT(*) FROM newsletter_delivery WHERE status IN"
                    " ('pending','deferred','sending','handed')"
                ).fetchone()
                sent = db.execute("SELECT status FROM newsletter_issue").fetchone()
            return rows[0] + (0 if sent and sent[0] == "sent" else 1)
        pending = Delivery.objects.unsettled().count()
        return pending + Issue.objects.exclude(status="sent").count()


class Workers:
    def __init__(self, database, smtp_port, tmp_path, db_port=None):
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIGEST_"))},
            "DJANGO_SETTINGS_MODULE": "digest.settings.production",
            "DEBUG": "0",
            "SECRET_KEY": django_settings.SECRET_KEY,
            "DATABASE_URL": database.url,
            "CACHE_URL": "locmem://",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "NEWSLETTER_DAILY": "0",
            "NEWSLETTER_LEASE_SECONDS": "2",
            "NEWSLETTER_BATCH_SIZE": "20",
            "NEWSLETTER_SERVER_RETRY_SECONDS": "0.5",
            "NEWSLETTER_SERVER_RETRY_MAX_SECONDS": "1",
            "NEWSLETTER_CLOCK_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
        }
        self.log = open(tmp_path / "workers.log", "ab")  # noqa: SIM115
        self.processes = []

    def start(self, count=2):
        for _ in range(count):
            self.processes.append(
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        "manage.py",
                        "db_worker",
                        "--interval",
                        "0.1",
                        "--no-startup-delay",
                        "--no-reload",
                        "-v",
                        "0",
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=self.log,
                    stderr=self.log,
                )  # fmt: skip
            )

    def kill(self):
        for process in self.processes:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
        for process in self.processes:
            process.wait(timeout=30)
        self.processes = []

    def stop(self):
        self.kill()
        self.log.close()


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture
def sending_setup(transactional_db, make_article, tmp_path):
    make_article(title="The Caspian summit opens")
    readers = [f"reader{n:03d}@example.com" for n in range(120)]
    Subscriber.objects.bulk_create(Subscriber(email=e, status="active") for e in readers)
    issue = services.issue_assemble(day=timezone.localdate())
    server = SMTPServer().start()
    database = WorkerDatabase(tmp_path)
    yield readers, issue, server, database
    server.stop()


def test_workers_killed_mid_batch_resume_and_nobody_gets_two_copies_or_none(
    sending_setup, tmp_path
):
    readers, issue, server, database = sending_setup
    services.issue_send(issue=issue)
    database.hand_over()
    workers = Workers(database, server.port, tmp_path)
    killed = []

    def kill_at(count):
        # Inside the server, before it answers the message: the worker that sent it dies
        # after handing it over and before hearing "250" (the narrowest window there is).
        if count in (15, 60) and len(killed) < 2:
            killed.append(count)
            threading.Thread(target=workers.kill).start()

    server.sink.on_message = kill_at
    try:
        workers.start()
        assert wait_for(lambda: len(killed) == 1 and not workers.processes, 60)
        workers.start()
        assert wait_for(lambda: len(killed) == 2 and not workers.processes, 60)
        # A third time at a moment nobody chose: wherever the workers are.
        workers.start()
        time.sleep(1.5)
        workers.kill()
        workers.start()
        assert wait_for(lambda: database.unsettled() == 0, 120), "the issue did not finish"
    finally:
        workers.stop()
    assert killed == [15, 60]
    counts = server.sink.count_by_recipient()
    assert sorted(counts) == readers, "somebody got none"
    assert {n for n in counts.values()} == {1}, "somebody got two copies"
    database.take_back()
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT
    # The messages whose worker died waiting for "250" were counted as sent, not sent again.
    assert Delivery.objects.filter(last_error__contains="after handing it").count() >= 2


@pytest.mark.postgres
def test_a_database_restart_during_a_send_loses_nothing_and_doubles_nothing(
    sending_setup, tmp_path
):
    from tests.test_operator_survives_outages import CuttableProxy

    readers, issue, server, database = sending_setup
    if database.vendor != "postgresql":
        pytest.skip("cuts a PostgreSQL connection (run with DATABASE_URL)")
    db = connection.settings_dict
    proxy = CuttableProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.restore()
    database.url = f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}"
    services.issue_send(issue=issue)
    workers = Workers(database, server.port, tmp_path)
    cut = []

    def cut_at(count):
        if count == 40 and not cut:
            cut.append(count)
            proxy.cut()  # every connection of the workers drops, as in a restart

    server.sink.on_message = cut_at
    try:
        workers.start()
        assert wait_for(lambda: cut, 60)
        time.sleep(1)
        proxy.restore()
        # db_worker exits when its database goes away; the supervisor (compose's restart
        # policy, make run's loop) starts it again.
        assert wait_for(lambda: all(p.poll() is not None for p in workers.processes), 30)
        workers.processes = []
        workers.start()
        assert wait_for(lambda: database.unsettled() == 0, 120), "the issue did not finish"
    finally:
        workers.stop()
        proxy.cut()
    counts = server.sink.count_by_recipient()
    assert sorted(counts) == readers, "somebody got none"
    assert set(counts.values()) == {1}, "somebody got two copies"


def test_the_bulk_message_is_the_message_django_would_build(smtp, issue, make_category):
    """Bulk sending writes each message itself (newsletter/mime.py): the same headers and
    parts as Django's EmailMessage for that reader."""
    import email
    import email.policy

    from newsletter.rendering import issue_articles, issue_render, message_build

    reader = subscribers("same@example.com")[0]
    services.issue_send(issue=issue)
    run_tasks()
    [bulk] = smtp.sink.to("same@example.com")
    django_message = message_build(
        rendered=issue_render(issue, issue_articles(issue)), issue=issue, subscriber=reader
    )
    built = email.message_from_bytes(
        django_message.message(policy=email.policy.SMTP).as_bytes(), policy=email.policy.default
    )
    for header in ["Subject", "From", "To", "Message-ID", "List-Id", "List-Unsubscribe",
                   "List-Unsubscribe-Post"]:  # fmt: skip
        assert bulk[header] == built[header], header
    for subtype in ["plain", "html"]:
        assert part(bulk, subtype).strip() == part(built, subtype).strip(), subtype
    assert bulk.get_content_type() == "multipart/alternative"
