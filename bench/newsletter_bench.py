"""Benchmark the Daily Digest's sending: 100,000 subscribers, a local SMTP sink, 2 workers.

    .venv/bin/python bench/newsletter_bench.py                    # 100,000 subscribers
    .venv/bin/python bench/newsletter_bench.py --subscribers 20000 --workers 2

It (re)fills its own PostgreSQL database ``digest_newsletter_bench`` (override with
``--database-url``) with the subscribers and a few published articles, starts the SMTP sink
(bench/smtp_sink.py, aiosmtpd on loopback, its own process) and N real ``manage.py db_worker``
processes, then sends one issue as an editor does (``services.issue_send``) and samples the
sink's count and each worker's memory (RSS) every second. It prints the time from "send" to
the first message, messages per second, the memory along the run, and checks that every
subscriber got exactly one message. Exit status 1 if fewer than 200 messages/s or a double.
"""

import argparse
import functools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from _database import ensure_database

ROOT = Path(__file__).resolve().parent.parent
print = functools.partial(print, flush=True)  # noqa: A001 (progress shows when piped)
sys.path.insert(0, str(ROOT))
TARGET = 200  # messages per second with 2 workers (issue 20)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8226, help="the SMTP sink's port")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds before giving up")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/digest_newsletter_bench"
    )
    return parser.parse_args()


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid):
    """User + system CPU time of *pid* so far (from /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def populate(count):
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from articles import services as article_services
    from articles.models import Article, Category
    from newsletter.models import Chain, Delivery, Issue, Subscriber

    Delivery.objects.all().delete()
    Issue.objects.all().delete()
    Chain.objects.all().delete()
    DBTaskResult.objects.all().delete()
    have = Subscriber.objects.filter(status="active").count()
    if have != count:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE newsletter_subscriber CASCADE")
            cursor.execute(
                "INSERT INTO newsletter_subscriber (email, status, origin, created_at, updated_at,"
                " bounce_reason) SELECT 'reader' || n || '@bench.example', 'active', 'import',"
                " now(), now(), '' FROM generate_series(1, %s) AS n",
                [count],
            )
    if not Article.objects.published().filter(title__startswith="Bench story").exists():
        sections = [
            Category.objects.filter(slug=f"bench-{i}").first()
            or article_services.category_create(
                name=f"Bench {i}", slug=f"bench-{i}", menu_order=i
            )  # fmt: skip
            for i in range(4)
        ]
        from django.utils import timezone

        for n in range(12):
            article_services.article_save(
                title=f"Bench story {n}: the Caspian corridor",
                standfirst="Ministers met in Baku to agree the next stage of the corridor.",
                body="<p>" + "Words about the corridor. " * 120 + "</p>",
                category=sections[n % 4], status=Article.Status.PUBLISHED,
                published_at=timezone.now() - timezone.timedelta(minutes=n + 1),
                is_featured=n == 0,
            )  # fmt: skip


def main():
    args = parse_args()
    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "digest.settings.development"
    os.environ.setdefault("DEBUG", "1")
    os.environ["CACHE_URL"] = "locmem://"
    os.environ["EMAIL_HOST"] = "127.0.0.1"
    os.environ["EMAIL_PORT"] = str(args.port)
    os.environ["NEWSLETTER_DAILY"] = "0"
    os.environ["NEWSLETTER_LANES"] = str(args.workers)
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    populate(args.subscribers)
    print(f"{args.subscribers:,} active subscribers ready ({time.perf_counter() - started:.1f} s)")

    from django.db.models import Count
    from django.utils import timezone

    from newsletter import services
    from newsletter.models import Delivery, Issue

    issue = services.issue_assemble(day=timezone.localdate())
    status_file = f"/tmp/newsletter-bench-{os.getpid()}.json"  # noqa: S108
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench-" + "k" * 50}
    sink = subprocess.Popen([sys.executable, str(ROOT / "bench/smtp_sink.py"), str(args.port),
                             status_file])  # fmt: skip
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "-v",
                "0",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        for _ in range(args.workers)
    ]

    def figures():
        try:
            return json.loads(Path(status_file).read_text())
        except (OSError, ValueError):
            return None

    try:
        while figures() is None:
            time.sleep(0.2)
        time.sleep(2)  # the workers are up and polling
        sent_at = time.time()
        services.issue_send(issue=issue)
        queued = time.time() - sent_at
        samples = []
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            time.sleep(1)
            now = figures()
            samples.append((time.time() - sent_at, now["count"], [rss_mb(w.pid) for w in workers]))
            cpu = {
                "workers": sum(cpu_seconds(w.pid) for w in workers),
                "sink": cpu_seconds(sink.pid),
            }
            if now["count"] >= args.subscribers:
                break
            if any(w.poll() is not None for w in workers):
                print("a worker exited", file=sys.stderr)
                break
        time.sleep(1)
        final = figures()
    finally:
        for process in [*workers, sink]:
            process.send_signal(signal.SIGTERM)
        for process in [*workers, sink]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        Path(status_file).unlink(missing_ok=True)

    first = final["first"] - sent_at if final["first"] else float("nan")
    span = (final["last"] - final["first"]) if final["first"] else 0
    rate = final["count"] / span if span else 0
    overall = final["count"] / (final["last"] - sent_at) if final["last"] else 0
    print(f"\nissue_send (one pending delivery per subscriber, lanes queued): {queued:.2f} s")
    print(f"time from send to the first message at the sink: {first:.2f} s")
    size = final["bytes"] / max(1, final["count"]) / 1024
    print(f"messages received: {final['count']:,} ({final['unique']:,} recipients, "
          f"{final['doubles']} doubles, {size:.1f} KB each)")  # fmt: skip
    print(f"throughput: {rate:.0f} messages/s first to last; {overall:.0f}/s from send")
    print(f"CPU per message: workers {cpu['workers'] * 1000 / final['count']:.2f} ms, "
          f"SMTP sink {cpu['sink'] * 1000 / final['count']:.2f} ms; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    print(
        "\n  t (s)   messages   "
        + "   ".join(f"worker {n + 1} RSS MB" for n in range(len(workers)))
    )
    step = max(1, len(samples) // 15)
    for t, count, memory in samples[::step] + samples[-1:]:
        print(f"{t:7.0f} {count:10,}   " + "   ".join(f"{m or 0:15.1f}" for m in memory))
    settled = dict(
        Delivery.objects.filter(issue=issue)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    print(f"\ndeliveries: {settled}; issue: {Issue.objects.get(pk=issue.pk).status}")
    ok = rate >= TARGET and final["doubles"] == 0 and final["unique"] == args.subscribers
    verdict = "PASS" if ok else "FAIL"
    print(f"\n{verdict}: {rate:.0f} messages/s (target {TARGET}), {final['unique']:,} of "
          f"{args.subscribers:,} subscribers, {final['doubles']} doubles")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
