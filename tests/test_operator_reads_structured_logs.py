"""Logs are JSON lines; errors go to a configured hook (and to ADMINS by e-mail) only when set."""

import json
import logging
from unittest import mock

from digest.logs import JsonFormatter, WebhookHandler


def record(message="boom", level=logging.ERROR, **extra):
    rec = logging.makeLogRecord(
        {"name": "django.request", "levelno": level, "levelname": "ERROR", "msg": message}
    )
    rec.__dict__.update(extra)
    return rec


def test_a_log_record_becomes_one_json_line_with_its_extra_fields():
    line = JsonFormatter().format(record("GET / 200", path="/", status=200, duration_ms=3.5))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET / 200"
    assert entry["logger"] == "django.request"
    assert entry["path"] == "/" and entry["status"] == 200 and entry["duration_ms"] == 3.5
    assert entry["time"].endswith("+00:00")


def test_an_exception_is_logged_with_its_traceback_inside_the_json():
    try:
        raise ValueError("bad value")
    except ValueError:
        import sys

        rec = record(exc_info=sys.exc_info())
        rec.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(rec))
    assert "ValueError: bad value" in entry["exception"]


def test_errors_are_posted_to_the_configured_hook():
    handler = WebhookHandler(url="https://errors.example.com/hook")
    with mock.patch("digest.logs.urllib.request.urlopen") as urlopen:
        handler.handle(record("Internal Server Error: /"))
    request = urlopen.call_args.args[0]
    assert request.full_url == "https://errors.example.com/hook"
    assert json.loads(request.data)["message"] == "Internal Server Error: /"


def test_without_a_hook_or_with_a_non_http_url_nothing_is_sent():
    with mock.patch("digest.logs.urllib.request.urlopen") as urlopen:
        WebhookHandler(url=None).handle(record())
        WebhookHandler(url="file:///etc/passwd").handle(record())
    urlopen.assert_not_called()


def test_a_broken_hook_never_breaks_the_request(capsys, caplog):
    """An unreachable hook is tried once and the failure stops there: handle() returns, and
    even with logging.raiseExceptions on (Python's default, so production's) nothing is raised
    and no "--- Logging error ---" traceback lands on stderr. The operator sees one warning
    naming the hook's host (not its URL, which may hold a token) and the reason."""
    handler = WebhookHandler(url="https://errors.example.com/hook/s3cret-token")
    with mock.patch(
        "digest.logs.urllib.request.urlopen", side_effect=OSError("unreachable")
    ) as urlopen:
        with mock.patch.object(logging, "raiseExceptions", True):
            with caplog.at_level(logging.WARNING, logger="digest.logs"):
                handler.handle(record("Internal Server Error: /"))  # returns: nothing raised
    assert urlopen.call_count == 1
    assert urlopen.call_args.args[0].full_url == "https://errors.example.com/hook/s3cret-token"
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Traceback" not in captured.out and "Logging error" not in captured.out
    warnings = [r for r in caplog.records if r.name == "digest.logs"]
    assert [(r.levelname, r.getMessage()) for r in warnings] == [
        ("WARNING", "The error hook at errors.example.com failed: OSError: unreachable")
    ]
    assert "s3cret" not in caplog.text


def test_each_request_is_logged_as_json(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="digest.request"):
        client.get("/healthz")
        client.get("/no-such-page/")
    entries = [r for r in caplog.records if r.name == "digest.request"]
    assert [(r.path, r.status) for r in entries] == [("/no-such-page/", 404)]
    assert entries[0].duration_ms >= 0


def test_a_broken_hook_that_also_hears_warnings_reports_its_failure_once(capsys):
    """Should an operator point the hook at warnings too, its own "hook failed" warning comes
    back to it: it is tried once more and then dropped, not reported in an endless loop."""
    handler = WebhookHandler(url="https://errors.example.com/hook")
    logger = logging.getLogger("digest.logs")
    logger.addHandler(handler)
    try:
        with mock.patch(
            "digest.logs.urllib.request.urlopen", side_effect=OSError("unreachable")
        ) as urlopen:
            with mock.patch.object(logging, "raiseExceptions", True):
                handler.handle(record("Internal Server Error: /"))
    finally:
        logger.removeHandler(handler)
    assert urlopen.call_count == 2
    sent = [json.loads(call.args[0].data)["message"] for call in urlopen.call_args_list]
    assert sent == [
        "Internal Server Error: /",
        "The error hook at errors.example.com failed: OSError: unreachable",
    ]
    assert capsys.readouterr().err == ""
