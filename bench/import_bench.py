"""Benchmark ``import_articles``: generated Markdown pieces and a JSON Lines file, imported
into the database of ``DATABASE_URL`` (PostgreSQL), printing pieces per second and memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digest_bench \\
        .venv/bin/python bench/import_bench.py --markdown 5000 --jsonl 100000

The database is migrated first; every run uses fresh source URLs, so pieces are created.
Peak memory is the process's maximum resident set size (getrusage); for the JSONL file the
current resident size is sampled as it is read, to show that it does not grow with the file.
"""

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Development settings (the local secret key) with DEBUG off: DEBUG keeps every query in memory.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings.development")
os.environ["DEBUG"] = "0"

WORDS = (
    "Baku Ankara Caspian pipeline energy corridor summit minister harbour grain freight "
    "climate wind solar parliament election museum festival carpet Shusha Ganja railway "
    "treaty border talks market inflation bank budget exports imports tourism mountain river "
    "university students doctors hospital vaccine football orchestra theatre novel poet"
).split()
AUTHORS = ["Leyla Mammadova", "Kamran Hasanov", "Aysel Karimova", "Rauf Aliyev", "AzeMedia"]
CATEGORIES = ["News", "Economy", "Energy", "Culture", "Opinion"]


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


SYLLABLES = "ba ku ra an ka gan ja shu sha qa ra bag su mi nar gol lan der vin tor es ul".split()


def headline_words(rng, count):
    """Made-up words from a vocabulary of thousands, as real headlines have."""
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def piece(rng, run, n):
    words = headline_words(rng, 7)
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."
        for _ in range(rng.randint(4, 9))
    ]
    return {
        "title": f"{' '.join(words).capitalize()} ({run} #{n})",
        "category": rng.choice(CATEGORIES),
        "authors": [rng.choice(AUTHORS)],
        "tags": rng.sample(WORDS[:12], 2),
        "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "source": rng.choice(["Report.az", "APA", "Trend", "Globalinfo.az"]),
        "source_url": f"https://example.org/{run}/{n}",
        "source_language": "az",
        "translator": rng.choice(AUTHORS[:4]),
        "standfirst": paragraphs[0][:160],
        "paragraphs": paragraphs,
    }


def markdown_file(data):
    meta = {k: v for k, v in data.items() if k != "paragraphs"}
    body = "\n\n".join(data["paragraphs"])
    return "---\n" + json.dumps(meta, ensure_ascii=False) + "\n---\n" + body + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", type=int, default=5000, help="Markdown pieces (0: none)")
    parser.add_argument("--jsonl", type=int, default=100000, help="JSON Lines lines (0: none)")
    parser.add_argument("--profile", action="store_true", help="cProfile the Markdown run")
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from _database import ensure_database

        ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles import services
    from articles.importers.pipeline import ImportOptions, import_paths
    from articles.models import Article, Category

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    for name in CATEGORIES:
        if not Category.objects.filter(name=name).exists():
            services.category_create(name=name)
    rng = random.Random(4)  # reproducible benchmark data  # nosec B311
    run = uuid.uuid4().hex[:8]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.markdown:
            folder = tmp / "md"
            folder.mkdir()
            for n in range(args.markdown):
                (folder / f"{n:05d}.md").write_text(markdown_file(piece(rng, run, n)), "utf-8")
            before = Article.objects.count()
            cpu, start = time.process_time(), time.perf_counter()
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                importer = profiler.runcall(import_paths, [folder], ImportOptions())
                order = os.environ.get("BENCH_SORT", "cumulative")
                pstats.Stats(profiler).sort_stats(order).print_stats(30)
            else:
                importer = import_paths([folder], ImportOptions())
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            created = Article.objects.count() - before
            print(
                f"markdown: {args.markdown} files, {dict(importer.counts)}, {created} new rows, "
                f"{elapsed:.1f} s, {args.markdown / elapsed:.0f} pieces/s "
                f"(importer CPU {cpu:.1f} s), peak RSS {peak_mb():.0f} MB, "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            start = time.perf_counter()
            importer = import_paths([folder], ImportOptions())
            elapsed = time.perf_counter() - start
            print(
                f"markdown again: {dict(importer.counts)}, {elapsed:.1f} s, "
                f"{args.markdown / elapsed:.0f} pieces/s"
            )

        if args.jsonl:
            path = tmp / "batch.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for n in range(args.jsonl):
                    data = piece(rng, run + "j", n)
                    data["text"] = "\n\n".join(data.pop("paragraphs"))
                    out.write(json.dumps(data, ensure_ascii=False) + "\n")
            size_mb = path.stat().st_size / 2**20
            samples, seen = [], [0]
            step = max(1, args.jsonl // 10)

            def sample(outcome):
                seen[0] += 1
                if seen[0] % step == 0:
                    samples.append((seen[0], rss_mb()))

            start = time.perf_counter()
            importer = import_paths([path], ImportOptions(), on_outcome=sample)
            elapsed = time.perf_counter() - start
            print(
                f"jsonl: {args.jsonl} lines ({size_mb:.0f} MB), {dict(importer.counts)}, "
                f"{elapsed:.1f} s, {args.jsonl / elapsed:.0f} pieces/s"
            )
            print("jsonl resident memory by lines read: " + ", ".join(
                f"{n}: {mb:.0f} MB" for n, mb in samples
            ))  # fmt: skip
            print(f"peak RSS {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
