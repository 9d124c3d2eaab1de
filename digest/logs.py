"""JSON-lines logging to stdout, and an optional error hook (ERROR_WEBHOOK_URL)."""

import json
import logging
import threading
import traceback
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlsplit

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged as a field.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

_log = logging.getLogger(__name__)


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


class WebhookHandler(logging.Handler):
    """POST each error as JSON to a configured URL (an error tracker's intake, a chat hook)."""

    def __init__(self, url=None, timeout=3):
        super().__init__()
        self.url = url
        self.timeout = timeout
        self.formatter = JsonFormatter()
        self._reporting = threading.local()

    def emit(self, record):
        if not self.url or urlsplit(self.url).scheme not in {"http", "https"}:
            return
        try:
            # The URL comes from the operator's configuration and is checked to be http(s).
            request = urllib.request.Request(  # noqa: S310  # nosec B310
                self.url,
                data=self.format(record).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=self.timeout):  # noqa: S310  # nosec B310
                pass
        except Exception as exc:  # noqa: BLE001 — a broken hook must never break the request
            self._report_failure(exc)

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
