"""JSON-lines logging to stdout, and an optional error hook (ERROR_WEBHOOK_URL)."""

import collections
import json
import logging
import os
import queue
import threading
import time
import traceback
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlsplit

_log = logging.getLogger(__name__)

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged as a field.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = (
                    value
                    if isinstance(value, (str, int, float, bool, type(None)))
                    else (str(value))
                )
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, default=str)


class OneLineWarning(logging.Filter):
    """A record an attacker can cause at will (a bad ``Host`` header: every scanner sends one)
    becomes one WARNING line without its traceback (issue 16), so it neither floods the log
    with tracebacks nor reaches the ERROR-level mail and webhook handlers."""

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        record.stack_info = None
        return True


class WebhookHandler(logging.Handler):
    """POST errors as JSON to a configured URL (an error tracker's intake, a chat hook).

    Never on the request's time (issue 16: a 2 s hook made every 503 take 2 s): `emit` only
    queues the record, and a thread of the process sends it. The same error (logger and
    message) is sent once per `DEDUPLICATE_SECONDS`, at most `PER_MINUTE` are sent a minute,
    and past `QUEUE_SIZE` waiting records new ones are dropped: an outage that makes every
    request fail sends a handful of reports, not one per request.
    """

    DEDUPLICATE_SECONDS = 300.0
    PER_MINUTE = 10
    QUEUE_SIZE = 100

    def __init__(self, url=None, timeout=3):
        super().__init__()
        self.url = url
        self.timeout = timeout
        self.formatter = JsonFormatter()
        self._pid: int | None = None
        self._queue: queue.Queue = queue.Queue(self.QUEUE_SIZE)
        self._seen: dict[tuple[str, str], float] = {}
        self._sent: collections.deque[float] = collections.deque()
        self._guard = threading.Lock()
        self._reporting = threading.local()

    def _ensure_worker(self):
        # After a fork (gunicorn's workers) the parent's thread is not there: start our own.
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._queue = queue.Queue(self.QUEUE_SIZE)
            self._seen.clear()
            self._sent.clear()
            threading.Thread(target=self._run, name="error-webhook", daemon=True).start()

    def _admit(self, record):
        """Whether *record* is sent: not a repeat, and within the rate."""
        now = time.monotonic()
        key = (record.name, record.getMessage()[:200])
        with self._guard:
            if now - self._seen.get(key, -self.DEDUPLICATE_SECONDS) < self.DEDUPLICATE_SECONDS:
                return False
            while self._sent and now - self._sent[0] >= 60:
                self._sent.popleft()
            if len(self._sent) >= self.PER_MINUTE:
                return False
            self._seen[key] = now
            self._sent.append(now)
            if len(self._seen) > 1000:
                self._seen = {k: t for k, t in self._seen.items() if now - t < 300}
            return True

    def emit(self, record):
        if not self.url or urlsplit(self.url).scheme not in {"http", "https"}:
            return
        self._ensure_worker()
        if not self._admit(record):
            return
        try:
            self._queue.put_nowait((self.format(record), record))
        except queue.Full:
            pass

    def flush(self, timeout=10.0):
        """Wait until what was queued is sent (tests; a process about to exit)."""
        if self._queue is not None and self._pid == os.getpid():
            deadline = time.monotonic() + timeout
            while self._queue.unfinished_tasks and time.monotonic() < deadline:
                time.sleep(0.01)

    def _run(self):
        while True:
            body, record = self._queue.get()
            try:
                self._send(body)
            except Exception as exc:  # noqa: BLE001 — a broken hook must never break anything
                self._report_failure(exc)
            finally:
                self._queue.task_done()

    def _send(self, body):
        # The URL comes from the operator's configuration and is checked to be http(s).
        request = urllib.request.Request(  # noqa: S310  # nosec B310
            self.url, data=body.encode(), headers={"Content-Type": "application/json"},
            method="POST",
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=self.timeout):  # noqa: S310  # nosec B310
            pass

    def _report_failure(self, exc):
        """One JSON warning on the "digest.logs" logger instead of logging's handleError(),
        which (with logging.raiseExceptions, Python's default) prints a multi-line traceback
        to stderr for every error while the hook is down. It names the hook's host only: a
        hook's URL often holds its token. The warning stays below this handler's ERROR level
        (settings.LOGGING), and a failure while reporting is not reported again."""
        if getattr(self._reporting, "active", False):
            return
        self._reporting.active = True
        try:
            _log.warning(
                "The error hook at %s failed: %s: %s",
                urlsplit(self.url).hostname,
                type(exc).__name__,
                exc,
            )
        finally:
            self._reporting.active = False
