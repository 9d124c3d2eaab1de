"""``manage.py import_articles``: a thin shell over `articles.importers.pipeline`."""

import sys
from argparse import RawDescriptionHelpFormatter
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from articles.importers.pipeline import (
    ACTIONS,
    FORMATS,
    STATUSES,
    ImportOptions,
    import_paths,
    iter_files,
)

DESCRIPTION = """\
Import new pieces from files and folders (searched recursively) as articles.

Formats (--format auto picks by extension, and by content for .txt and unknown extensions):
  md     Markdown (CommonMark, with tables) with YAML front matter between "---" lines.
         Keys: title, slug, standfirst, authors, category, tags, date, status, image,
         image_caption, image_credit, source, source_url, original_title, original_author,
         source_language, translator, language.
         With no title key, a leading "# Heading" is the title. image is a local JPEG/PNG/WebP
         path relative to the file; it becomes the featured image.
  txt    Plain text (the seed 000 style): an optional "date YYYY-MM-DD" header and an optional
         "title: ..." header, then paragraphs separated by blank lines. With no title, the
         headline is the first sentence (or --title).
  page   The text of a saved article page (the seed 003 style): menus, sign-in box, cookie
         notice, "You Might Also Like", "New articles" and footer are dropped; section,
         title, standfirst, byline, date, image caption, body, "Translated from X" and the
         writer are kept. A .txt file with a "By ... Published Month D, YYYY" line is a page.
  html   A saved web page: main text, title, author, date, site name (as the source) and
         canonical URL extracted with trafilatura.
  docx   A Word document: headings, paragraphs, bold, italic, links, lists and quotes kept;
         the title is the first heading or the document's Title property.
  json   .json: one object or a list of objects with the front-matter keys and the body as
         "body" (HTML), "body_markdown" or "text". .jsonl: one such object a line, streamed;
         errors name the line number.

Every body is sanitised (scripts, styles, event handlers, javascript:/data: URLs, iframes
and unknown tags removed). A piece is identified by its source URL, else by its slug and
date, else by its text: importing again updates it ("updated"), or reports "unchanged";
a published article is left alone ("skipped") unless --on-existing update is given. Each
piece is atomic (its own savepoint; new drafts are written 100 at a time and retried one by
one if that fails): a bad piece is reported with the reason, nothing of it is left, and the
rest still import. The exit status is 1 when any piece failed. Each article created or
updated gets a revision in its admin history ("Imported from FILE"); a dry run, an unchanged
or a skipped piece gets none. Files over DIGEST_IMPORT_MAX_BYTES
(20 MB by default; for .jsonl, each line) are refused.

Options given here win over what a file says, except --tags, which are added to the file's,
and --category, which only fills in for a file that names no category (--force-category
overrides every file's). A piece with no category at all is imported as a draft into the
"Unsorted" queue (never in the menu, never published from there) for an editor to file.
A file's date (and time, when it gives one) is the original's: it is kept in the provenance
as the original publication date, and the piece is published at the editor's time; with
--keep-dates (moving an archive) it is the publication time instead.
New pieces are drafts unless the file or --status says otherwise.
Output: -v 0 prints only failures and the summary table; -v 1 (default) also created,
updated and skipped pieces and warnings (a similar recent title, a missing image, a
Windows-1252 file); -v 2 also unchanged pieces. A progress bar shows when the output is a
terminal and the batch is long.

Examples:
  python manage.py import_articles incoming/
  python manage.py import_articles piece.md --category opinion --status review
  python manage.py import_articles old-site/ --keep-dates --status published
  python manage.py import_articles report.txt --category news --title "Baku hosts the summit" \\
      --source "Report.az" --source-url https://report.az/en/x --source-language az
  python manage.py import_articles batch.jsonl --dry-run -v 2
  python manage.py import_articles scans/ --format docx --translator "Azer Aykhan" --tags cop29
"""


def _iso_datetime(value):
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--publish-at: not an ISO-8601 time: {value!r}") from error


class Command(BaseCommand):
    help = "Import articles from Markdown, text, saved pages, HTML, Word and JSON files."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = DESCRIPTION
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files and folders.")
        parser.add_argument(
            "--format", choices=FORMATS, default="auto", help="Read every file as this format."
        )
        parser.add_argument(
            "--category",
            default="",
            help="Category (slug or name) for pieces whose file names none, e.g. --category "
            "energy. Without it such pieces go to the “Unsorted” queue as drafts.",
        )
        parser.add_argument(
            "--force-category",
            default="",
            help="Category for every piece, whatever its file says (moves pieces imported before).",
        )
        parser.add_argument(
            "--keep-dates",
            action="store_true",
            help="Publish at the file's own date (archives). Without it the file's date is "
            "kept as the original's date in the provenance and the piece is published when "
            "an editor publishes it.",
        )
        parser.add_argument("--title", default="", help="Headline (for a single piece).")
        parser.add_argument(
            "--author", default="", help='Byline; several separated by commas, e.g. "A, B".'
        )
        parser.add_argument("--translator", default="", help="Who translated the pieces.")
        parser.add_argument("--source", default="", help="Source outlet, e.g. Globalinfo.az.")
        parser.add_argument(
            "--source-url", default="", help="The original's address (one piece only)."
        )
        parser.add_argument(
            "--source-language", default="", help="The original's language code, e.g. az."
        )
        parser.add_argument(
            "--status", choices=STATUSES, default="", help="Status of the pieces (new: draft)."
        )
        parser.add_argument(
            "--publish-at",
            type=_iso_datetime,
            default=None,
            help="Publication time, ISO-8601, e.g. 2024-02-01T09:00+04:00.",
        )
        parser.add_argument(
            "--tags", default="", help="Tags added to every piece, comma-separated: a,b."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; report what would change."
        )
        parser.add_argument(
            "--on-existing",
            choices=("update", "skip"),
            default="",
            help="When a piece was imported before: update it (even if published) or skip "
            "it. Default: update drafts, skip published articles.",
        )

    def handle(self, *args, paths, **options):
        opts = ImportOptions(
            format=options["format"],
            category=options["category"].strip(),
            force_category=options["force_category"].strip(),
            keep_dates=options["keep_dates"],
            title=options["title"].strip(),
            author=options["author"].strip(),
            translator=options["translator"].strip(),
            source=options["source"].strip(),
            source_url=options["source_url"].strip(),
            source_language=options["source_language"].strip(),
            status=options["status"],
            publish_at=options["publish_at"],
            tags=[t.strip() for t in options["tags"].split(",") if t.strip()],
            dry_run=options["dry_run"],
            on_existing=options["on_existing"],
        )
        verbosity = options["verbosity"]
        files = list(iter_files(paths))
        if (opts.source_url or opts.title) and len(files) > 1:
            raise CommandError("--source-url and --title name one piece: give one file")
        out = Console(file=self.stdout._out, highlight=False, soft_wrap=True)
        err = Console(file=self.stderr._out, highlight=False, soft_wrap=True)
        progress = None
        if out.is_terminal and (len(files) > out.size.height or any(
            f.suffix.lower() in (".jsonl", ".ndjson") for f in files
        )):  # fmt: skip
            progress = Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=out,
                transient=True,
            )
            task = progress.add_task("Importing", total=len(files))
            out = err = progress.console
        prefix = "would be " if opts.dry_run else ""

        def report(outcome):
            for warning in outcome.warnings:
                if verbosity:
                    err.print(f"warning: {outcome.origin}: {warning}", markup=False)
            if outcome.action == "failed":
                err.print(f"failed: {outcome.origin}: {outcome.message}", markup=False)
            elif verbosity >= 2 or (verbosity and outcome.action != "unchanged"):
                line = str(outcome)
                if prefix and outcome.action in ("created", "updated"):
                    line = prefix + line
                out.print(line, markup=False)

        def advance(path):
            if progress:
                progress.advance(task)

        if progress:
            with progress:
                importer = import_paths(files, opts, on_outcome=report, on_file=advance)
        else:
            importer = import_paths(files, opts, on_outcome=report)

        counts = importer.counts
        title = "Dry run: nothing was written" if opts.dry_run else "Import summary"
        table = Table(title=title, title_justify="left")
        for action in ACTIONS:
            table.add_column(action, justify="right")
        table.add_row(*(str(counts[a]) for a in ACTIONS))
        Console(file=self.stdout._out, highlight=False).print(table)
        if counts["failed"]:
            pieces = "piece" if counts["failed"] == 1 else "pieces"
            raise CommandError(f"{counts['failed']} {pieces} failed to import (see above)")


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run it as: python manage.py import_articles PATH ...")
