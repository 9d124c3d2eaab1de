"""JSON-lines logging to stdout, and an optional error hook (ERROR_WEBHOOK_URL)."""

import json
import logging
import traceback
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlsplit

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


class WebhookHandler(logging.Handler):
    """POST each error as JSON to a configured URL (an error tracker's intake, a chat hook)."""

    def __init__(self, url=None, timeout=3):
        super().__init__()
        self.url = url
        self.timeout = timeout
        self.formatter = JsonFormatter()

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
        except Exception:  # noqa: BLE001 — a broken hook must never break the request
            self.handleError(record)
