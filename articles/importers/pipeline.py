"""The shared import pipeline: find files, detect their format, parse them into
`ParsedArticle`s and save each piece in its own transaction through `articles.services`.

The `import_articles` command and the fixture builder (`articles.seed`) both save through
`Importer.article_import`, so a piece becomes an article the same way wherever it comes from.
"""

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from .. import services
from ..history import revisions_create_many
from ..images import InvalidImageError, image_validate
from ..models import (
    Article,
    Author,
    Byline,
    Category,
    Language,
    SiteIdentity,
    Source,
    Tag,
    TaggedArticle,
)
from ..sanitizer import sanitize_html
from ..text import plain_name, slugify
from .base import ParsedArticle, ParseError, decode_text, import_key_for
from .page import has_page_byline

FORMATS = ("auto", "md", "txt", "page", "html", "docx", "json")
EXTENSIONS = {
    ".md": "md", ".markdown": "md", ".txt": "txt", ".text": "txt", ".html": "html",
    ".htm": "html", ".docx": "docx", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
}  # fmt: skip
STATUSES = ("draft", "review", "published")
ACTIONS = ("created", "updated", "unchanged", "skipped", "failed")
# The saved-page style (seed 003): a "By … Published Month D, YYYY" byline line.
RECENT_TITLES = 2000
NEAR_DUPLICATE = 0.8


@dataclass
class ImportOptions:
    """What the editor said on the command line; empty means "as the file says"."""

    format: str = "auto"
    category: str = ""  # for pieces whose file names none (issue 19: a default, not an override)
    force_category: str = ""  # for every piece, whatever its file says
    keep_dates: bool = False  # the file's date is the publication time (archives)
    title: str = ""
    author: str = ""
    translator: str = ""
    source: str = ""
    source_url: str = ""
    source_language: str = ""
    status: str = ""  # empty: the file's status, else draft for new pieces
    publish_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    dry_run: bool = False
    on_existing: str = ""  # "": update drafts, keep published; "update"; "skip"
    max_bytes: int | None = None
    similar_titles: bool = True  # warn of a recent article with a similar title


@dataclass
class Outcome:
    action: str
    origin: str
    title: str = ""
    message: str = ""
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    article: Article | None = None
    revision_comment: str = ""

    def __str__(self):
        text = f"{self.action}: {self.origin}"
        if self.title:
            text += f" — “{self.title}”"
        if self.changes:
            text += f" (fields: {', '.join(self.changes)})"
        if self.message:
            text += f": {self.message}"
        return text


# --- files and formats ---------------------------------------------------------------------


def iter_files(paths):
    """The files named, and every file of a known format under the folders named (sorted,
    hidden files skipped). A path that does not exist is returned as is, to fail later."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = (
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            yield from sorted(found)
        else:
            yield path


def detect_format(path: Path, head: bytes) -> str:
    """md, txt, page, html, docx, json or jsonl, from the extension, else from the content."""
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind == "txt":
        return "page" if has_page_byline(_peek_text(head)) else "txt"
    if kind:
        return kind
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    text = _peek_text(head).lstrip()
    if text.startswith("---"):
        return "md"
    if text.startswith("<"):
        return "html"
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        first = text.split("\n", 1)[0].strip()
        return "jsonl" if first.endswith("}") and "\n{" in text else "json"
    return "page" if has_page_byline(text) else "txt"


def _peek_text(head):
    try:
        return decode_text(head)[0]
    except (ParseError, UnicodeDecodeError):
        return ""


def _parser(kind):
    if kind == "md":
        from .markdown import parse_markdown

        return parse_markdown
    if kind == "txt":
        from .text import parse_text

        return parse_text
    if kind == "html":
        from .html import parse_html

        return parse_html
    from .page import parse_page

    return lambda text, origin: parse_page(text, origin=origin).article


def read_pieces(path: Path, options: ImportOptions):
    """Every piece in *path*, as (origin, ParsedArticle or ParseError, warnings)."""
    origin = str(path)
    limit = options.max_bytes or settings.DIGEST_IMPORT_MAX_BYTES
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(8192)
    except FileNotFoundError:
        yield origin, ParseError("no such file or folder"), []
        return
    except OSError as error:
        yield origin, ParseError(f"cannot read the file: {error.strerror}"), []
        return
    kind = detect_format(path, head) if options.format == "auto" else options.format
    # Each format's libraries are imported when a file needs them (trafilatura is slow to load).
    if kind in ("json", "jsonl"):
        from .jsonl import iter_jsonl, parse_json
    if kind == "json" and path.suffix.lower() in (".jsonl", ".ndjson"):
        kind = "jsonl"
    if kind == "jsonl":
        # Streamed: the limit holds for each line, not for the file.
        with path.open("rb") as stream:
            for where, item in iter_jsonl(stream, origin=origin, max_line_bytes=limit):
                yield where, item, []
        return
    if size > limit:
        yield origin, ParseError(f"the file is {size:,} bytes; the limit is {limit:,}"), []
        return
    data = path.read_bytes()
    try:
        if kind == "docx":
            from .docx import parse_docx

            yield origin, parse_docx(data, origin=origin), []
            return
        text, warnings = decode_text(data, name=origin)
        if kind == "json":
            for where, item in parse_json(text, origin=origin):
                yield where, item, warnings
            return
        parser = _parser(kind)
        yield origin, parser(text, origin=origin), warnings
    except ParseError as error:
        yield origin, error, []


# --- saving ---------------------------------------------------------------------------------


def _key(name):
    return " ".join(name.split()).lower()


def _compact(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _words(title):
    return {w for w in re.findall(r"\w+", title.lower()) if len(w) > 3}


class TitleIndex:
    """The most recent titles (at most *size*), to warn about near-duplicates: titles whose
    sets of words overlap by at least NEAR_DUPLICATE (Jaccard). Candidates are found by
    prefix filtering: two sets that similar must share one of the first few words of each
    (in one fixed order), so only those words are indexed and nothing compares every pair.
    Bounded, so a 100,000-line batch does not grow memory."""

    def __init__(self, titles=(), *, size=RECENT_TITLES):
        self.size = size
        # key → (title, words, prefix), oldest first
        self.entries: dict[str, tuple[str, set[str], list[str]]] = {}
        self.postings: defaultdict[str, dict[str, None]] = defaultdict(dict)  # word → {key: None}
        for key, title in titles:
            self.add(key, title)

    @staticmethod
    def _prefix(words):
        # Any fixed order works; hashing spreads the indexed words evenly (alphabetical
        # order would pile every title onto the few words early in the alphabet).
        ordered = sorted(words, key=hash)
        return ordered[: len(ordered) - math.ceil(NEAR_DUPLICATE * len(ordered)) + 1]

    def add(self, key, title):
        words = _words(title)
        if not words or key in self.entries:
            return
        prefix = self._prefix(words)
        self.entries[key] = (title, words, prefix)
        for word in prefix:
            self.postings[word][key] = None
        if len(self.entries) > self.size:
            oldest = next(iter(self.entries))
            for word in self.entries.pop(oldest)[2]:
                self.postings[word].pop(oldest, None)
                if not self.postings[word]:
                    del self.postings[word]

    def similar(self, title, *, exclude=None):
        words = _words(title)
        found = []
        candidates = dict.fromkeys(
            key for word in self._prefix(words) for key in self.postings.get(word, ())
        )
        for key in candidates:
            other_title, other_words, _ = self.entries[key]
            shared = len(words & other_words)
            if key != exclude and shared >= NEAR_DUPLICATE * (
                len(words) + len(other_words) - shared
            ):
                found.append(other_title)
        return found


class Importer:
    """One batch: options plus per-batch caches of categories, authors and sources, so a
    thousand pieces by one author cost one author lookup."""

    def __init__(self, options: ImportOptions | None = None):
        self.options = options or ImportOptions()
        self.categories: dict[str, Category] = {}
        for category in Category.objects.all():
            self.categories.setdefault(category.slug.lower(), category)
            self.categories.setdefault(_key(category.name), category)
        self.authors: dict[str, Author] = {}
        self.sources: dict[str, Source] = {}
        self.tags: dict[str, Tag] = {}
        # cache keys filled inside the current piece's transaction
        self._pending: list[tuple[dict[str, Any], str]] = []
        identity = SiteIdentity.objects.filter(pk=1).only("name").first()
        self.site_name = _compact(identity.name) if identity else ""
        recent = Article.objects.order_by("-created_at").values_list("import_key", "pk", "title")
        recent = list(recent[:RECENT_TITLES])[::-1]  # oldest first: the newest stay longest
        self.titles = TitleIndex((key or f"pk:{pk}", title) for key, pk, title in recent)
        self.counts = Counter({action: 0 for action in ACTIONS})

    # -- lookups (cached; created when new, except in a dry run) --

    def category(self, name):
        category = self.categories.get(_key(name)) or self.categories.get(slugify(name))
        if category is None:
            known = ", ".join(sorted({c.slug for c in self.categories.values()})) or "none yet"
            raise ParseError(f"unknown category “{name}” (known: {known})")
        return category

    def unsorted(self):
        """The queue for pieces that name no category: made when first needed, never in the
        menu, and nothing in it can be published (`services.article_save` refuses)."""
        category = self.categories.get(Category.UNSORTED_SLUG)
        if category is None:
            category = Category.objects.filter(slug=Category.UNSORTED_SLUG).first()
            if category is None and self.options.dry_run:
                category = Category(name="Unsorted", slug=Category.UNSORTED_SLUG, is_in_menu=False)
            elif category is None:
                category = services.category_unsorted()
                self._pending.append((self.categories, Category.UNSORTED_SLUG))
            self.categories[Category.UNSORTED_SLUG] = category
        return category

    def author(self, name):
        name = plain_name(name)  # issue 16: names are plain text, as the services save them
        key = _key(name)
        if key not in self.authors:
            author = Author.objects.filter(name__iexact=" ".join(name.split())).first()
            if author is None:
                kind = (
                    Author.Kind.ORGANISATION
                    if self.site_name and _compact(name) == self.site_name
                    else Author.Kind.PERSON
                )
                if self.options.dry_run:
                    author = Author(name=" ".join(name.split()), kind=kind)
                else:
                    author = services.author_get_or_create(name=name, kind=kind)
                self._pending.append((self.authors, key))
            self.authors[key] = author
        return self.authors[key]

    def tag(self, name):
        name = plain_name(name)
        key = name.strip().lower()
        if key not in self.tags:
            tag = Tag.objects.filter(name__iexact=name.strip()).first()
            if tag is None:
                if self.options.dry_run:
                    tag = Tag(name=name.strip())
                else:
                    tag = services.tag_get_or_create(name=name)
                    self._pending.append((self.tags, key))
            self.tags[key] = tag
        return self.tags[key]

    def source(self, name, *, url="", language=""):
        key = _key(name)
        if key not in self.sources:
            source = Source.objects.filter(name__iexact=" ".join(name.split())).first()
            if source is None and self.options.dry_run:
                source = Source(name=" ".join(name.split()), url=url, language=language)
            elif source is None:
                source = services.source_get_or_create(name=name, url=url, language=language)
                self._pending.append((self.sources, key))
            self.sources[key] = source
        source = self.sources[key]
        if language and not source.language and not self.options.dry_run:
            source = services.source_get_or_create(name=source.name, language=language)
            self.sources[key] = source
        return source

    # -- one piece --

    def article_import(self, parsed: ParsedArticle, *, base_dir: Path | None = None) -> Outcome:
        """Create, update or leave alone the article *parsed* describes; one transaction."""
        return self.import_many([(parsed, base_dir)])[0]

    def import_many(self, pieces):
        """`article_import` for several ``(parsed, base_dir)`` pieces, reading the articles
        they may already be in one query. Everything happens in one transaction for the lot,
        each piece in its own savepoint, so a failing piece is rolled back alone and nothing
        is ever half-written. New drafts without images are written together in a few
        queries (`services.article_create_many`); if that fails, they are retried one by one.
        """
        plans = []
        for parsed, base_dir in pieces:
            try:
                plans.append((parsed, self._plan(parsed, base_dir)))
            except (ParseError, ValidationError) as error:
                plans.append((parsed, error))
        keys = [plan["import_key"] for _, plan in plans if isinstance(plan, dict)]
        existing = {}
        if keys:
            found = (
                Article.objects.filter(import_key__in=keys)
                .select_related(
                    "translation__source",
                    "translation__original_author",
                    "translation__translator",
                )
                .prefetch_related("authors", "tags")
            )
            existing = {article.import_key: article for article in found}
        outcomes: list[Outcome] = []
        bulk: dict[str, tuple[Outcome, dict[str, Any]]] = {}
        with transaction.atomic():
            for parsed, plan in plans:
                if not isinstance(plan, dict):
                    outcomes.append(Outcome("failed", parsed.origin, parsed.title, _reason(plan)))
                    continue
                if plan["import_key"] in bulk:  # the same piece twice: write the first now
                    self._write_bulk(bulk, existing)
                outcome = self._decide(parsed, plan, existing)
                outcomes.append(outcome)
                if self.options.dry_run or outcome.action not in ("created", "updated"):
                    continue
                if outcome.action == "created" and self._bulk_ok(plan):
                    bulk[plan["import_key"]] = (outcome, plan)
                else:
                    self._write(outcome, plan, existing)
            self._write_bulk(bulk, existing)
            if not self.options.dry_run:
                self._record_history(outcomes)
        return [self._done(outcome) for outcome in outcomes]

    def _record_history(self, outcomes):
        """A revision ("Imported from <file>") for each article created or updated, as the
        admin keeps one per save, so editors see where a piece came from in its history."""
        comments = {
            outcome.article.pk: outcome.revision_comment or f"Imported from {outcome.origin}"
            for outcome in outcomes
            if outcome.action in ("created", "updated") and outcome.article is not None
        }
        if not comments:
            return
        # The new articles of the bulk path hold their bylines, tag links and provenance as
        # written (`services.article_create_many`); the others are read back as stored, with
        # what a revision follows, in three queries for the lot.
        fresh = {
            outcome.article.pk: outcome.article
            for outcome in outcomes
            if outcome.article is not None
            and outcome.article.pk in comments
            and services.article_written(outcome.article) is not None
        }
        articles = list(fresh.values())
        if others := [pk for pk in comments if pk not in fresh]:
            articles += (
                Article.objects.filter(pk__in=others)
                .select_related("translation__source")
                .prefetch_related(
                    Prefetch("bylines", Byline.objects.select_related("author")),
                    Prefetch("tagged_items", TaggedArticle.objects.select_related("tag")),
                )
            )
        revisions_create_many(
            ((article, comments[article.pk]) for article in articles),
            members=services.article_revision_members,
        )

    def _decide(self, parsed, plan, existing_by_key):
        """What will happen to a piece: created, updated, unchanged or skipped."""
        outcome = Outcome("", parsed.origin, plan["title"], warnings=plan["warnings"])
        outcome.revision_comment = parsed.revision_comment
        existing = existing_by_key.get(plan["import_key"])
        if existing is None:
            outcome.action = "created"
        else:
            outcome.article = existing
            outcome.changes = self._changes(existing, plan)
            on_existing = self.options.on_existing
            if not outcome.changes:
                outcome.action = "unchanged"
            elif on_existing == "skip":
                outcome.action, outcome.message = "skipped", "already imported (--on-existing skip)"
            elif existing.status == Article.Status.PUBLISHED and on_existing != "update":
                outcome.action = "skipped"
                outcome.message = "already published; --on-existing update overwrites it"
            else:
                outcome.action = "updated"
        if outcome.action == "created" and self.options.similar_titles:
            if similar := self.titles.similar(plan["title"], exclude=plan["import_key"]):
                outcome.warnings.append(f"a recent article has a similar title: “{similar[0]}”")
            self.titles.add(plan["import_key"], plan["title"])
        return outcome

    def _bulk_ok(self, plan):
        return not plan["image"]

    def _write(self, outcome, plan, existing_by_key):
        """Save one piece in its own savepoint."""
        existing = existing_by_key.get(plan["import_key"])
        try:
            with transaction.atomic():
                outcome.article = self._save(existing, plan)
        except (ParseError, ValidationError, DatabaseError, InvalidImageError) as error:
            self._forget_pending()
            outcome.action, outcome.message, outcome.changes = "failed", _reason(error), []
        else:
            # The same piece again later in the batch is now an existing article.
            existing_by_key[plan["import_key"]] = outcome.article
        finally:
            self._pending.clear()

    def _write_bulk(self, bulk, existing_by_key):
        """Save the new pieces in *bulk* together; on any error, one by one instead."""
        if not bulk:
            return
        pieces = list(bulk.values())
        bulk.clear()
        savepoint = transaction.savepoint_create()
        try:
            items = []
            for _, plan in pieces:
                fields = dict(plan["fields"], slug=plan["slug_base"], import_key=plan["import_key"])
                if plan["modified"]:
                    fields["updated_at"] = plan["modified"]
                authors, tags, translation = self._relations(None, plan)
                items.append(
                    {"fields": fields, "authors": authors, "tags": tags, "translation": translation}
                )
            articles = services.article_create_many(items=items)
        except (ParseError, ValidationError, DatabaseError):
            transaction.savepoint_rollback(savepoint)
            self._forget_pending()
            self._pending.clear()
            for outcome, plan in pieces:
                self._write(outcome, plan, existing_by_key)
            return
        transaction.savepoint_commit(savepoint)
        self._pending.clear()
        for (outcome, plan), article in zip(pieces, articles, strict=True):
            outcome.article = article
            existing_by_key[plan["import_key"]] = article

    def _forget_pending(self):
        """Rows created in a rolled-back savepoint are gone: drop them from the caches."""
        for cache, key in self._pending:
            cache.pop(key, None)

    def _done(self, outcome):
        self.counts[outcome.action] += 1
        return outcome

    def _plan(self, parsed, base_dir):
        """What the article should be: the file's values with the options over them."""
        opts = self.options
        title = " ".join((opts.title or parsed.title).split())
        if not title:
            raise ParseError("no title (give a “title” key, a heading, or --title)")
        # --force-category wins over the file; --category only fills in for a file that names
        # none (and never moves an article imported before); with neither, the Unsorted queue.
        warnings = []
        if opts.force_category:
            category, category_from = self.category(opts.force_category), "option"
        elif parsed.category:
            category, category_from = self.category(parsed.category), "file"
        elif opts.category:
            category, category_from = self.category(opts.category), "default"
        else:
            category, category_from = self.unsorted(), "default"
        status = (opts.status or parsed.status).lower()
        if status and status not in STATUSES:
            raise ParseError(f"unknown status “{status}” (draft, review or published)")
        if category.slug == Category.UNSORTED_SLUG:
            warnings.append("no category: filed as a draft under “Unsorted” for an editor")
            status = Article.Status.DRAFT
        language = (parsed.language or "").lower()
        source_language = (opts.source_language or parsed.source_language).lower()
        for label, code in (("language", language), ("source language", source_language)):
            if code and code not in Language.values:
                raise ParseError(f"unknown {label} “{code}” (one of {', '.join(Language.values)})")
        # The file's date is when the original appeared: it goes into the provenance, and the
        # piece is published at the editor's time, unless --keep-dates (an archive) says so.
        when = opts.publish_at or (parsed.published if opts.keep_dates else None)
        if isinstance(when, datetime):
            published_at = when if timezone.is_aware(when) else timezone.make_aware(when)
        elif isinstance(when, date):
            published_at = timezone.make_aware(datetime.combine(when, time.min))
        else:
            published_at = None
        original_on, original_time = parsed.original_published, parsed.original_published_time
        if original_on is None and parsed.published and not opts.keep_dates:
            original_on, original_time = _date_and_time(parsed.published)
        if not parsed.body_html.strip():
            raise ParseError("the piece has no text")
        slug_base = slugify(parsed.slug or title, max_length=services.ARTICLE_SLUG_BASE_LENGTH)
        if not slug_base:
            raise ParseError(f"cannot make an address (slug) from the title “{title}”")
        parsed.source_url = (opts.source_url or parsed.source_url).strip()
        authors = [a.strip() for a in opts.author.split(",")] if opts.author else parsed.authors
        tags = list(dict.fromkeys([*parsed.tags, *opts.tags]))
        provenance = {
            "source": opts.source or parsed.source,
            "source_home": parsed.source_home,
            "source_url": parsed.source_url,
            "original_title": parsed.original_title,
            "original_author": parsed.original_author,
            "source_language": source_language,
            "original_published_on": original_on,
            "original_published_time": original_time,
            "translator": opts.translator or parsed.translator,
        }
        image = None
        if parsed.image:
            image, warning = _image_path(parsed.image, base_dir)
            if warning:
                warnings.append(warning)
        fields = {
            "title": title,
            "body": parsed.body_html,  # sanitised by the service that saves
            "category": category,
            "standfirst": " ".join(parsed.standfirst.split()),
            "image_caption": parsed.image_caption,
            "image_credit": parsed.image_credit,
            # A headline made from the first sentence waits for an editor (issue 18).
            "headline_needs_editor": parsed.title_derived and not opts.title,
        }
        for name in ("seo_title", "seo_description", "canonical_url", "image_alt"):
            if value := getattr(parsed, name):
                fields[name] = value
        if parsed.is_featured is not None:
            fields["is_featured"] = parsed.is_featured
        if published_at:
            fields["published_at"] = published_at
        if language:
            fields["language"] = language
        if status:
            fields["status"] = status
        return {
            "title": title,
            "fields": fields,
            # Only the file or --force-category moves an article imported before.
            "keeps_category": category_from == "default",
            "slug_base": slug_base,
            "import_key": import_key_for(parsed, slug_base),
            "authors": [a for a in authors if a],
            "tags": tags,
            "provenance": provenance,
            "image": image,
            "warnings": warnings,
            "modified": parsed.modified,
        }

    def _changes(self, article, plan):
        """The names of the fields a re-import would change (what the file gives only)."""
        changed = []
        for name, value in plan["fields"].items():
            current = getattr(article, name)
            if name in ("standfirst", "image_caption", "image_credit") and not value:
                continue
            if name == "category":
                if plan["keeps_category"]:
                    continue
                current, value = article.category_id, value.pk
            elif name == "body":
                value = sanitize_html(value)  # as it would be stored
            if current != value:
                changed.append(name)
        if plan["authors"]:
            # The byline in its order (issue 16): the same names in another order are a change.
            names = [_key(a.name) for a in article.authors.all()]
            if names != list(dict.fromkeys(_key(a) for a in plan["authors"])):
                changed.append("authors")
        if plan["tags"]:
            current = {tag.name.lower() for tag in article.tags.all()}
            if current != {t.lower() for t in plan["tags"]}:
                changed.append("tags")
        given = {k: v for k, v in plan["provenance"].items() if v and k != "source_home"}
        if given:
            record = getattr(article, "translation", None)
            for name, value in given.items():
                if record is None:
                    changed.append(name)
                    continue
                current = getattr(record, name)
                if name in ("source", "original_author", "translator"):
                    current = _key(current.name) if current else ""
                    value = _key(value)
                if current != value:
                    changed.append(name)
        if plan["image"] and not article.featured_image:
            changed.append("featured_image")
        return changed

    def _relations(self, existing, plan):
        """Authors, tags and provenance as rows (created when new)."""
        authors = [self.author(name) for name in plan["authors"]] or (None if existing else [])
        tags = [self.tag(name) for name in plan["tags"]] if plan["tags"] else None
        provenance = plan["provenance"]
        translation = None
        if any(v for k, v in provenance.items() if k != "source_home"):
            source, original_author, translator = (
                provenance["source"], provenance["original_author"], provenance["translator"]
            )  # fmt: skip
            translation = {
                "source": self.source(
                    source, url=provenance["source_home"], language=provenance["source_language"]
                )
                if source
                else None,
                "source_url": provenance["source_url"],
                "original_title": provenance["original_title"],
                "original_author": self.author(original_author) if original_author else None,
                "source_language": provenance["source_language"],
                "original_published_on": provenance["original_published_on"],
                "original_published_time": provenance["original_published_time"],
                "translator": self.author(translator) if translator else None,
            }
            if existing is not None and hasattr(existing, "translation"):
                # Keep what an editor recorded and the file does not say.
                translation = {
                    k: v if v else getattr(existing.translation, k) for k, v in translation.items()
                }
        return authors, tags, translation

    def _save(self, existing, plan):
        fields = dict(plan["fields"])
        if existing is None:
            fields.setdefault("status", Article.Status.DRAFT)
            fields["slug"] = services.unique_slug(Article, plan["slug_base"])
            fields["import_key"] = plan["import_key"]
        else:
            fields = {k: v for k, v in fields.items() if v or k not in ("standfirst",
                      "image_caption", "image_credit")}  # fmt: skip
            if plan["keeps_category"]:
                fields.pop("category")
        authors, tags, translation = self._relations(existing, plan)
        image_file = None
        if plan["image"] and (existing is None or not existing.featured_image):
            image_validate(plan["image"])
            image_file = plan["image"].open("rb")
            fields["featured_image"] = File(image_file, name=plan["image"].name)
        try:
            return services.article_save(
                article=existing, authors=authors, tags=tags, translation=translation, **fields
            )
        finally:
            if image_file:
                image_file.close()


def _date_and_time(value):
    """(date, time or None) of a date or a date-time from a file."""
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.date(), local.time().replace(microsecond=0)
    return value, None


def _image_path(value, base_dir):
    if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
        return None, f"image {value}: remote images are not fetched; add it in the admin"
    path = Path(value)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not path.is_file():
        return None, f"image {value}: no such file; imported without an image"
    try:
        image_validate(path)
    except InvalidImageError as error:
        return None, f"image {value}: {error}; imported without an image"
    return path, ""


def _reason(error):
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        return " ".join(error.messages)
    if isinstance(error, DatabaseError):
        return f"the database refused it: {str(error).splitlines()[0]}"
    return str(error)


CHUNK = 100  # pieces read and saved together (one lookup of existing articles, one commit)


def import_paths(paths, options: ImportOptions, *, on_outcome=None, on_file=None):
    """Import every piece under *paths*; call *on_outcome* with each `Outcome`.

    Returns the `Importer`, whose ``counts`` hold the summary.
    """
    importer = Importer(options)
    chunk: list[tuple[ParsedArticle, Path, list[str]]] = []

    def flush():
        outcomes = importer.import_many([(parsed, base) for parsed, base, _ in chunk])
        for outcome, (_, _, warnings) in zip(outcomes, chunk, strict=True):
            outcome.warnings[:0] = warnings
            if on_outcome:
                on_outcome(outcome)
        chunk.clear()

    for path in iter_files(paths):
        for origin, item, warnings in read_pieces(path, options):
            if isinstance(item, ParseError):
                outcome = importer._done(Outcome("failed", origin, message=str(item)))
                outcome.warnings[:0] = warnings
                if on_outcome:
                    on_outcome(outcome)
                continue
            chunk.append((item, path.parent, warnings))
            if len(chunk) >= CHUNK:
                flush()
        if on_file:
            if chunk:
                flush()
            on_file(path)
    if chunk:
        flush()
    return importer
