"""What the newsletter's tests share: a real SMTP server on loopback (aiosmtpd) that keeps and
parses what it receives and can refuse, defer or go away; and a runner of the task queue's
ready tasks in the test's own process and transaction (django-tasks-db's worker code)."""

import email
import email.policy
import re
import socket
import threading

from aiosmtpd.controller import Controller
from django.utils import timezone


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """aiosmtpd's handler: every accepted message, parsed. ``answers[address]`` makes the
    server answer that recipient's RCPT with e.g. "451 4.3.0 Try later" or "550 5.1.1 No
    such user" (a list: one answer per try, then 250)."""

    def __init__(self):
        self.messages = []
        self.answers = {}
        self.lock = threading.Lock()
        self.on_message = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        planned = self.answers.get(address)
        if planned:
            answer = planned.pop(0) if isinstance(planned, list) else planned
            if answer:
                return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append({"rcpt": list(envelope.rcpt_tos), "message": parsed,
                                  "size": len(envelope.original_content)})  # fmt: skip
        if self.on_message:
            self.on_message(len(self.messages))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m["message"] for m in self.messages if address in m["rcpt"]]

    def count_by_recipient(self):
        counts = {}
        for received in self.messages:
            for address in received["rcpt"]:
                counts[address] = counts.get(address, 0) + 1
        return counts


class SMTPServer:
    """A real SMTP server on 127.0.0.1 (a free port), which can be stopped and started again
    on the same port (the mail server going away and coming back)."""

    def __init__(self, port=None):
        self.sink = Sink()
        self.port = port or free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.sink.messages

    def mailers(self):
        """A MAILERS setting sending here."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }


def part(message, subtype):
    """The text of *message*'s text/<subtype> part."""
    body = message.get_body(preferencelist=(subtype,))
    return body.get_content() if body is not None else ""


def links(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)


def run_tasks(*, rounds=200, due_now=False):
    """Run the ready tasks of the database queue here, until none is left (at most *rounds*
    tasks). With *due_now*, tasks waiting for a later time run too (time has passed).
    Returns the number of tasks run."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    )  # fmt: skip
    ran = 0
    if due_now:
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    while ran < rounds:
        task = DBTaskResult.objects.ready().first()
        if task is None:
            return ran
        task.claim(worker.worker_id)
        worker.run_task(task)
        task.refresh_from_db()
        assert task.status == "SUCCESSFUL", task.traceback
        ran += 1
    return ran


def run_until(predicate, *, rounds=100, each_round=None):
    """Run tasks, moving those that wait for a later time to now, until *predicate()*;
    *each_round()* runs before each round (to move other times along)."""
    for _ in range(rounds):
        if predicate():
            return True
        if each_round:
            each_round()
        run_tasks(due_now=True)
    return predicate()
