"""The Daily Digest by e-mail, end to end on the production stack (.ci/production-smoke):
a reader subscribes through nginx, confirms from the message the SMTP sink received, an
editor sends an issue, the worker (deploy/start-worker.sh) delivers it, and the one-click
unsubscribe of its List-Unsubscribe header works.

Usage: python .ci/smoke_newsletter.py NGINX_BASE MAILDIR   (prints PASS/FAIL per check)
"""

import http.client
import mailbox
import os
import sys
import time
from email import policy
from email.parser import BytesParser
from urllib.parse import urlencode, urlsplit

NGINX, MAILDIR = sys.argv[1], sys.argv[2]
HEADERS = {"Host": "localhost", "X-Forwarded-Proto": "https"}
READER = "smoke.reader@example.com"
failures = 0


def report(ok, what, detail=""):
    global failures
    print(f"{'PASS' if ok else 'FAIL'}: {what}" + ("" if ok else f" (got {detail!r})"))
    failures += not ok
    return ok


def request(method, path, body=None, headers=None):
    parts = urlsplit(NGINX)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request(method, path, body=body, headers={**HEADERS, **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, response.headers, data.decode("utf-8", "replace")


def post_form(path, fields):
    return request("POST", path, urlencode(fields),
                   {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip


def wait_for_message(subject_start, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for key in mailbox.Maildir(MAILDIR, create=False).keys():
            with mailbox.Maildir(MAILDIR, create=False).get_file(key) as handle:
                message = BytesParser(policy=policy.default).parse(handle)
            if READER in message.get("To", "") and message["Subject"].startswith(subject_start):
                return message
        time.sleep(0.5)
    return None


def main():
    import yaml

    worker = yaml.safe_load(open("docker-compose.yml"))["services"].get("worker", {})
    report(worker.get("command") == ["deploy/start-worker.sh"],
           "docker-compose.yml runs the task worker as its own service")  # fmt: skip
    status, headers, _ = post_form("/newsletter/subscribe/", {"email": READER, "website": ""})
    report(status == 302 and "/newsletter/check-your-inbox/" in headers.get("Location", ""),
           "the subscribe form answers through nginx without a CSRF cookie", status)  # fmt: skip
    confirmation = wait_for_message("Confirm your subscription")
    if not report(confirmation is not None, "the worker sent the confirmation to the SMTP sink"):
        return failures
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    confirm = next(word for word in text.split() if "/newsletter/confirm/" in word)
    status, _, html = request("POST", urlsplit(confirm).path)
    report(status == 200 and "You are subscribed" in html, "the signed link confirms", status)

    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.utils import timezone

    from articles.models import Article
    from newsletter import services
    from newsletter.models import Issue, IssueItem, Subscriber

    day = timezone.localdate()
    issue = Issue.objects.filter(date=day).first() or services.issue_assemble(day=day)
    if not issue.items.exists():  # the seed's pieces are old: an editor adds one
        IssueItem.objects.create(issue=issue, article=Article.objects.published().first())
    services.issue_send(issue=issue)
    received = wait_for_message(str(issue))
    if not report(received is not None, "the worker sent the issue to the SMTP sink"):
        return failures
    report(received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click",
           "the issue has RFC 8058 List-Unsubscribe-Post")  # fmt: skip
    html = received.get_body(preferencelist=("html",)).get_content()
    report("<table" in html and 'style="' in html, "the issue's HTML part is inlined tables")
    for _ in range(60):
        if Issue.objects.get(pk=issue.pk).status == "sent":
            break
        time.sleep(0.5)
    report(Issue.objects.get(pk=issue.pk).status == "sent", "the issue is marked sent")
    status, _, page = request("GET", issue.get_absolute_url())
    report(status == 200 and str(issue) in page, "the issue lives on the site", status)
    unsubscribe = urlsplit(received["List-Unsubscribe"].strip("<>")).path
    status, _, _ = post_form(unsubscribe, {"List-Unsubscribe": "One-Click"})
    report(
        status == 200 and Subscriber.objects.get(email=READER).status == "unsubscribed",
        "the one-click unsubscribe POST works through nginx",
        status,
    )
    return failures


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
