"""``manage.py import_wordpress``: a thin shell over `articles.importers.wordpress`."""

import sys
from argparse import RawDescriptionHelpFormatter
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from articles.importers.wordpress import (
    ACTIONS,
    KINDS,
    NotWxrError,
    WordPressError,
    WordPressImport,
    WordPressOptions,
)

DESCRIPTION = """\
Bring a whole WordPress site into Digest from its export (WXR 1.0–1.2: Tools → Export → All
content, or `wp export`) and a copy of its wp-content/uploads folder. Several files are one
site exported in parts (WordPress splits big sites): give them all, in any order.

What comes across:
  posts       articles: title, slug (kept when it is a valid address, else transliterated:
              Şuşa → shusha), body, excerpt → standfirst, post_date_gmt as the publication
              time (the local date, with the export's offset, when there is none), modified
              date, status (see --status-map), sticky → featured, Yoast / Rank Math SEO
              title, description and canonical URL, provenance ("Translated from X" or
              "Source: X" as the last line, or custom fields source / source_url /
              original_title / original_author / translator / source_language). Comments
              are not imported: the summary counts them.
  bodies      block-editor comments removed; classic bodies get WordPress's wpautop
              (paragraphs from blank lines); [caption] → figure and caption; [gallery] → its
              images; [embed] and YouTube / X / Vimeo URLs alone on a line → a plain link
              (no third-party script); [audio] and audio players → a link to the recording;
              other shortcodes stay as text and are listed; resized copies
              (photo-300x200.jpg) → the original upload; links to the old site's posts →
              their new addresses; then the sanitiser, as for every body.
  pages       static pages at /<slug>/ (the site's own "Who we are" or "Privacy Policy" is
              updated when the slugs match); drafts of pages are listed, not imported.
  categories  with their parents (two levels: deeper ones join their grandparent);
              "Uncategorized" never becomes one (--default-category, else the post waits as
              a draft in the Unsorted queue); the primary menu's order → the menu order.
  tags        with transliterated slugs (Gəncə → gence).
  authors     wp:author (display name, slug from the login) or dc:creator; no accounts and
              no passwords are made.
  images      featured images (_thumbnail_id) and body images from --media-dir (the URL's
              path under /wp-content/uploads/), with alt text, caption and credit, checked
              like admin uploads (JPEG, PNG or WebP; HTML in disguise is refused) and resized
              once. A missing file is listed, never fatal.
  files       uploads that are not images (PDF, Word, Excel, PowerPoint, OpenDocument, RTF,
              text, CSV, MP3, M4A, OGG) become the Files library's: those the posts link to
              (the link then points at the file here) and every other such attachment of the
              export, so their old addresses keep answering. Checked by content like admin
              uploads (an HTML page renamed .pdf fails, with a line, and the post imports
              without it); a missing file is listed, never fatal.
  addresses   every post's and page's old address answers a 301 to its new one: its <link>,
              /?p=ID, /?page_id=ID, /YYYY/MM/DD/slug/, /YYYY/MM/slug/, /slug/,
              /category-path/slug/, /archives/ID, category, tag and author archives and their
              /feed/ addresses; each upload brought (image or file) answers a 301 to its copy.

Re-running: an item is known by the export's site URL and its WordPress ID (guid kept).
A hash of each item as exported is stored with it: the same hash says "unchanged"; a
changed post is updated, unless an editor changed the article in Digest since the import
(detected by a second hash, of the article as the import saved it: title, slug, standfirst,
body, category, status, time, featured flag, SEO fields, image, tags and byline); such an
article is kept ("skipped") unless --on-existing update is given. --since DATE then reads
only what was written or changed in WordPress after DATE: the switch-over day's delta.

Each hundred posts are one transaction, each post in its own savepoint: a bad post gets
one line (file, post ID, title, reason), nothing of it is written, the rest imports, and the
exit status is 1. A file that is not a WordPress export (an RSS feed, other XML, HTML, a zip,
broken XML) gets one sentence and nothing at all is written. Every article created or
updated gets a revision "Imported from WordPress (FILE)". Output: failures always; -v 1
(default) created, updated and skipped items and warnings; -v 2 unchanged ones too; a
progress bar on a terminal; a summary by kind and a list of what did not come across.

Examples:
  python manage.py import_wordpress site.WordPress.2024-06-01.xml --dry-run
  python manage.py import_wordpress export.xml --media-dir ~/backup/wp-content/uploads \\
      --default-category news --category-map uncategorised=news --category-map world=news
  python manage.py import_wordpress part-001.xml part-002.xml --media-dir uploads/ \\
      --author-map admin="AzeMedia" --status-map private=skip
  python manage.py import_wordpress export.xml --media-dir uploads/ --since 2024-06-01
  python manage.py import_wordpress export.xml --skip-media --on-existing update -v 2
"""


def _pairs(option):
    def parse(value):
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise CommandError(f"{option} takes OLD=NEW, e.g. {option} {EXAMPLES[option]}")
        return old.strip(), new.strip()

    return parse


EXAMPLES = {
    "--status-map": "private=skip",
    "--category-map": "world=news",
    "--author-map": "admin=AzeMedia",
}


def _since(value):
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--since: not an ISO-8601 date: {value!r}") from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC)


class Command(BaseCommand):
    help = "Import a WordPress site: its export (WXR) and its uploads folder."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = DESCRIPTION
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="EXPORT.xml", help="The export file(s), e.g. site.xml."
        )
        parser.add_argument(
            "--media-dir",
            type=Path,
            default=None,
            help="A local copy of wp-content/uploads, e.g. --media-dir backup/wp-content/uploads.",
        )
        parser.add_argument(
            "--media-url",
            default="",
            help="Where the old site served uploads, when not under its own address, e.g. "
            "https://cdn.old.example/wp-content/uploads (its links count as the site's).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Write nothing; print what would be created, updated or skipped, by kind.",
        )
        parser.add_argument(
            "--status-map",
            type=_pairs("--status-map"),
            action="append",
            default=[],
            metavar="WP=DIGEST",
            help="Map a WordPress status to published, scheduled, draft, review or skip "
            "(repeatable). Default: publish=published, future=scheduled (at its date), "
            "draft=draft, pending=review, private=draft, trash=skip. e.g. --status-map "
            "private=skip",
        )
        parser.add_argument(
            "--category-map",
            type=_pairs("--category-map"),
            action="append",
            default=[],
            metavar="OLD=NEW",
            help="File a WordPress category (slug or name) under a Digest category (slug or "
            "name) instead of making one (repeatable), e.g. --category-map world=news.",
        )
        parser.add_argument(
            "--default-category",
            default="",
            help="For posts in no category but Uncategorized, e.g. --default-category news. "
            "Without it they wait as drafts in the Unsorted queue.",
        )
        parser.add_argument(
            "--author-map",
            type=_pairs("--author-map"),
            action="append",
            default=[],
            metavar="LOGIN=AUTHOR",
            help="Credit a WordPress login's posts to an existing Digest author (name or "
            'slug; repeatable), e.g. --author-map admin="AzeMedia".',
        )
        parser.add_argument(
            "--since",
            type=_since,
            default=None,
            metavar="DATE",
            help="Only items published or modified at or after DATE (ISO-8601, the "
            "newsroom's time zone unless given), e.g. --since 2024-06-01 or "
            "--since 2024-06-01T09:00+04:00: the switch-over day's delta.",
        )
        parser.add_argument(
            "--skip-media",
            action="store_true",
            help="Import no images and no files (bodies keep the old addresses of both; each "
            "link to a file is listed).",
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="Fetch images and files missing from --media-dir from the old site (off by "
            "default; with a timeout and the admin's size limits; never from a loopback or "
            "private address). Not possible on a machine without network: each such upload "
            "is then listed as missing.",
        )
        parser.add_argument(
            "--on-existing",
            choices=("update", "skip"),
            default="",
            help="For items imported before: update overwrites even what an editor changed "
            "in Digest since (see above how that is detected); skip leaves every one alone. "
            "Default: update what WordPress changed, keep what an editor changed.",
        )
        parser.add_argument(
            "--menu",
            default="",
            help="The WordPress menu (its slug) that orders the categories; default: "
            "primary, main or the largest.",
        )

    def handle(self, *args, paths, **options):
        media_dir = options["media_dir"]
        if media_dir is not None and not media_dir.expanduser().is_dir():
            raise CommandError(f"--media-dir {media_dir}: no such folder")
        opts = WordPressOptions(
            media_dir=media_dir.expanduser() if media_dir else None,
            media_url=options["media_url"].strip(),
            dry_run=options["dry_run"],
            status_map=dict(options["status_map"]),
            category_map=dict(options["category_map"]),
            default_category=options["default_category"].strip(),
            author_map=dict(options["author_map"]),
            since=options["since"],
            skip_media=options["skip_media"],
            fetch_media=options["fetch_media"],
            on_existing=options["on_existing"],
            menu=options["menu"].strip(),
        )
        verbosity = options["verbosity"]
        out = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        err = Console(file=self.stderr._out, highlight=False, soft_wrap=True)
        consoles = {"out": out, "err": err}

        def line(level, text):
            if level > verbosity:
                return
            failed = text.startswith(("failed:", "warning:"))
            (consoles["err"] if failed else consoles["out"]).print(text, markup=False)

        progress = None
        run = WordPressImport(opts, on_line=line)
        try:
            checks = run.check(paths)
        except NotWxrError as error:
            raise CommandError(str(error)) from None
        total = sum(check.items for check in checks)
        if out.is_terminal and total > 50:
            progress = Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=out,
                transient=True,
            )
            task = progress.add_task("Importing", total=total)
            consoles["out"] = consoles["err"] = progress.console
            run.on_item = lambda: progress.advance(task)
        try:
            if progress:
                with progress:
                    run.run(checks)
            else:
                run.run(checks)
        except WordPressError as error:
            raise CommandError(str(error)) from None
        self._summary(run, opts)
        if run.failures:
            items = "item" if run.failures == 1 else "items"
            raise CommandError(f"{run.failures} {items} failed to import (see above)")

    def _summary(self, run, opts):
        console = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        title = "Dry run: nothing was written" if opts.dry_run else "WordPress import summary"
        table = Table(title=title, title_justify="left")
        table.add_column("kind")
        for action in ACTIONS:
            table.add_column(action, justify="right")
        for kind in KINDS:
            table.add_row(kind, *(str(run.counts[kind][a]) for a in ACTIONS))
        console.print(table)
        notes = []
        if run.comments:
            notes.append(f"{run.comments} comments were not imported (comments are out of scope)")
        if run.older:
            notes.append(f"{run.older} items older than --since were not read")
        for name, count in run.unknown_shortcodes.most_common():
            notes.append(f"shortcode [{name}] kept as text in {count} item(s)")
        if run.missing or notes:
            console.print("Did not come across:", markup=False)
            for text in [*notes, *run.missing]:
                console.print(f"  - {text}", markup=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run it as: python manage.py import_wordpress EXPORT.xml ...")
