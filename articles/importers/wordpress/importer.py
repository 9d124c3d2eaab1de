"""A WordPress export (WXR) into Digest, through the shared pipeline.

`WordPressImport.run(paths)` checks every file first (`wxr.check_wxr`: a file that is not an
export stops the run before anything is written), then reads each one as a stream: the
channel's authors, categories and tags become Digest's, posts go through
`articles.importers.pipeline.Importer.import_many` (the same planning, sanitising, bulk path
and revisions as every other import) a hundred at a time, pages become the static pages,
images and files (PDFs, Office documents, audio: the Files library) come from the local copy of
``wp-content/uploads``, and every old address is recorded
(`OldAddress`). Each hundred posts is one transaction with a savepoint per post: one bad post
is reported and rolled back alone, and a killed import leaves no half-written article.

Identity: each item is an `ImportedItem` (site URL + kind + WordPress ID, with its guid).
A re-run compares a hash of the item as exported (*source_hash*): the same hash is
"unchanged"; a changed item is updated unless the Digest row no longer has the hash it was
saved with (*saved_hash*: an editor changed it in Digest since), which is kept ("skipped")
unless ``on_existing="update"``.
"""

import hashlib
import html
import json
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from ... import services
from ...choices import Language
from ...documents import KINDS as DOCUMENT_KINDS
from ...documents import InvalidDocumentError, document_validate
from ...images import InvalidImageError, image_validate
from ...models import (
    RESERVED_SLUGS,
    Article,
    Author,
    Category,
    Document,
    Image,
    ImportedItem,
    OldAddress,
    Tag,
)
from ...moved import address_key
from ...text import plain_name, slugify
from ..base import ParsedArticle
from ..page import source_defaults
from ..pipeline import Importer, ImportOptions, Outcome
from .body import (
    IMAGE_SUFFIXES,
    BodyContext,
    BodyImage,
    clean_body,
    links_rewrite,
    original_upload,
    uploads_path,
)
from .media import FetchError, fetch_image
from .wxr import IndexEntry, WxrCheck, WxrItem, WxrTerm, check_wxr, iter_wxr

KINDS = ("posts", "pages", "images", "files", "authors", "categories", "tags", "redirects")
ACTIONS = ("created", "updated", "unchanged", "skipped", "failed")
DEFAULT_STATUS_MAP = {
    "publish": "published",
    "future": "scheduled",
    "draft": "draft",
    "pending": "review",
    "private": "draft",
    "trash": "skip",
    "auto-draft": "skip",
    "inherit": "skip",
}
TARGET_STATUSES = ("published", "scheduled", "draft", "review", "skip")
UNCATEGORIZED = {"uncategorized", "uncategorised"}
CHUNK = 100
NO_DATE = "0000-00-00 00:00:00"
SEO_KEYS = {
    "seo_title": ("_yoast_wpseo_title", "rank_math_title"),
    "seo_description": ("_yoast_wpseo_metadesc", "rank_math_description"),
    "canonical_url": ("_yoast_wpseo_canonical", "rank_math_canonical_url"),
}
# Custom fields that say where a piece came from (several plugins' and newsrooms' spellings).
PROVENANCE_KEYS = {
    "source": ("source", "source_name", "translated_from", "reprinted_from", "original_source"),
    "source_url": ("source_url", "original_url", "source_link", "original_link"),
    "original_title": ("original_title",),
    "original_author": ("original_author",),
    "translator": ("translator", "translated_by"),
    "source_language": ("source_language", "original_language"),
}


@dataclass
class WordPressOptions:
    media_dir: Path | None = None
    media_url: str = ""
    dry_run: bool = False
    status_map: dict[str, str] = field(default_factory=dict)
    category_map: dict[str, str] = field(default_factory=dict)
    default_category: str = ""
    author_map: dict[str, str] = field(default_factory=dict)
    since: datetime | None = None
    skip_media: bool = False
    fetch_media: bool = False
    on_existing: str = ""  # "", "update" or "skip"
    menu: str = ""  # the menu to take the category order from (default: the primary one)


class WordPressError(ValueError):
    """Bad usage (an unknown category in --category-map, …): nothing was written."""


def _hash(*parts) -> str:
    data = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def article_hash(article: Article, tags, authors) -> str:
    """What an editor may change of an imported article, as one hash."""
    published = article.published_at.astimezone(UTC).isoformat() if article.published_at else ""
    return _hash(
        article.title, article.slug, article.standfirst, article.body, article.category_id,
        article.status, published,
        article.is_featured, article.seo_title, article.seo_description, article.canonical_url,
        bool(article.featured_image), sorted(t.lower() for t in tags), list(authors),
    )  # fmt: skip


ADDRESS_COLUMNS = ("path", "content_type_id", "object_id", "view", "new_path")


def _insert_new_addresses(rows: list[tuple]) -> set[str]:
    """Insert the `OldAddress` *rows* (tuples in ADDRESS_COLUMNS' order) whose path is not
    taken yet, and return those paths (``ON CONFLICT DO NOTHING RETURNING``: one statement
    for 500 rows, on PostgreSQL and SQLite alike)."""
    quote = connection.ops.quote_name
    table, columns = quote(OldAddress._meta.db_table), ", ".join(map(quote, ADDRESS_COLUMNS))
    created: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            part = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(part))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608  # nosec B608: placeholders only
                f"ON CONFLICT ({quote('path')}) DO NOTHING RETURNING {quote('path')}",
                [value for row in part for value in row],
            )
            created.update(path for (path,) in cursor.fetchall())
    return created


def _by_name(author: Author):
    return author.name, author.pk  # as Author's ordering lists them (a re-run reads them so)


def page_hash(page: FlatPage) -> str:
    return _hash(page.url, page.title, page.content)


def _gmt(value: str, local: str, offset: timedelta | None) -> datetime | None:
    """post_date_gmt is the truth; the local date with the export's offset is the fallback."""
    for text, is_gmt in ((value, True), (local, False)):
        if not text or text.startswith("0000"):
            continue
        try:
            moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        if is_gmt:
            return moment.replace(tzinfo=UTC)
        if offset is not None:
            return (moment - offset).replace(tzinfo=UTC)
        return timezone.make_aware(moment)
    return None


def _seo_text(value: str, title: str, site_name: str) -> str:
    """A Yoast or Rank Math title with its variables filled in (unknown ones dropped)."""
    value = value.replace("%%title%%", title).replace("%title%", title)
    value = value.replace("%%sitename%%", site_name).replace("%sitename%", site_name)
    value = re.sub(r"%%sep%%|%sep%", "–", value)
    value = re.sub(r"%%?[a-z_]+%%?", "", value)
    return " ".join(value.split()).strip(" –|-")


LANGUAGES = {label.lower(): code for code, label in Language.choices}
LANGUAGE_CODES = set(Language.values)
PROVENANCE_LINE = re.compile(
    r"^(?:(?:Translated|Reprinted|Republished)\s+(?:from|by)|First published\s+(?:in|by)|"
    r"Source|Original|Via)\s*:?\s*(?P<rest>.+?)\.?$",
    re.I,
)


def provenance_parse(text: str) -> tuple[str, str]:
    """(source, language) of "Translated from Azerbaijani. Original: Report.az",
    "Translated from Report.az", "Source: APA" or a plain outlet name."""
    text = " ".join(strip_tags(html.unescape(text or "")).split()).strip()
    source, language = "", ""
    for part in re.split(r"(?<=[a-z])\.\s+|;\s*", text):
        part = part.strip()
        match = PROVENANCE_LINE.match(part)
        value = (match["rest"] if match else part).strip().rstrip(".")
        if value.lower() in LANGUAGES:
            language = LANGUAGES[value.lower()]
        elif value and not source:
            source = value
    return source[:150], language


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    return f"{path}?{parts.query}" if parts.query else path


class WordPressImport:
    """One run over one or more export files (a split export is several)."""

    def __init__(self, options: WordPressOptions, *, on_line=None, on_item=None):
        self.options = options
        self.status_map = {**DEFAULT_STATUS_MAP, **options.status_map}
        self.on_line = on_line or (lambda level, text: None)
        self.on_item = on_item or (lambda: None)
        self.counts: dict[str, Counter] = {kind: Counter() for kind in KINDS}
        self.missing: list[str] = []  # what did not come across, and why
        self.failures = 0
        self.unknown_shortcodes: Counter = Counter()
        self.comments = 0
        self.importer = Importer(
            ImportOptions(
                keep_dates=True,
                dry_run=options.dry_run,
                on_existing="update",  # decided here first (`_decide_existing`)
                similar_titles=False,  # an archive: its own titles are not news
            )
        )
        self.index: dict[int, IndexEntry] = {}
        self.site_url = ""
        self.site_name = ""
        self.hosts: set[str] = set()
        self.blog_path = ""
        self.offset: timedelta | None = None
        self.categories: dict[str, Category | None] = {}  # WP nicename → Digest (None: none)
        self.category_terms: dict[str, dict[str, str]] = {}
        self.term_ids: dict[int, str] = {}  # WP term_id → category nicename
        self.category_paths: dict[str, str] = {}  # WP nicename → "news/economy"
        self.authors: dict[str, Author] = {}  # WP login → Digest
        self.author_names: dict[str, str] = {}  # WP login → display name
        self.tags: dict[str, Tag] = {}
        self.images: dict[str, BodyImage | None] = {}  # uploads path → body image
        # uploads path of a file that is not an image → its address in Digest (None: not here)
        self.files: dict[str, str | None] = {}
        self.body_of = 0  # the item whose body is being cleaned
        self.menu_items: list[tuple[str, int, WxrItem]] = []
        self.linked: list[int] = []  # articles whose bodies link to the old site
        self.pending_categories: list[dict[str, str]] = []
        self.pending_tags: list[tuple[str, str]] = []
        self.types: dict[str, ContentType] = {}
        self.default_category: Category | None = None
        self.file = ""
        self.link_keys: set[str] = set()  # posts whose bodies link to the old site
        # (path, content type id, object id, view, strong, new path)
        self.address_rows: list[tuple[str, int | None, int | None, str, bool, str]] = []
        self.children_of: dict[int, list[int]] | None = None  # post → its attachments
        self.by_file: dict[str, IndexEntry] | None = None  # uploads path → its attachment
        self.created_categories: list[Category] = []
        self.older = 0  # items before --since, not read
        self.fetch_dir: Path | None = None  # where --fetch-media puts what it fetched

    # -- the run ------------------------------------------------------------------------------

    def check(self, paths) -> list[WxrCheck]:
        """Every file checked before anything is written (`wxr.NotWxrError` otherwise)."""
        checks = [check_wxr(Path(p)) for p in paths]
        for check in checks:
            self.index.update(check.index)
        return checks

    def run(self, checks: list[WxrCheck]):
        self._resolve_options()
        try:
            for check in checks:
                self.file = check.path.name
                if check.dropped_bytes:
                    self._line(
                        1,
                        f"warning: {self.file}: {check.dropped_bytes} control characters XML "
                        "forbids were dropped",
                    )
                self._site(check)
                self._read_file(check)
            self._apply_menu()
            if not self.options.dry_run:
                self._rewrite_links()
        finally:
            if self.fetch_dir is not None:
                shutil.rmtree(self.fetch_dir, ignore_errors=True)
        return self

    def _resolve_options(self):
        for old, new in self.options.status_map.items():
            if new not in TARGET_STATUSES:
                raise WordPressError(
                    f"--status-map {old}={new}: “{new}” is not one of {', '.join(TARGET_STATUSES)}"
                )
        for old, new in self.options.category_map.items():
            self.options.category_map[old] = self._existing_category(new, f"--category-map {old}")
        if self.options.default_category:
            self.default_category = self._existing_category(
                self.options.default_category, "--default-category"
            )
        for login, name in self.options.author_map.items():
            author = (
                Author.objects.filter(slug=slugify(name)).first()
                or Author.objects.filter(name__iexact=name.strip()).first()
            )
            if author is None:
                raise WordPressError(f"--author-map {login}={name}: no author “{name}” in Digest")
            self.authors[login.lower()] = author

    def _existing_category(self, name, option):
        category = self.importer.categories.get(" ".join(name.split()).lower()) or (
            self.importer.categories.get(slugify(name))
        )
        if category is None:
            known = ", ".join(sorted({c.slug for c in self.importer.categories.values()}))
            raise WordPressError(f"{option}: no category “{name}” in Digest (known: {known})")
        return category

    def _site(self, check):
        from .wxr import channel_info

        info = channel_info(check.path)
        self.site_url = (info.get("base_site_url") or info.get("link") or check.site_url).rstrip(
            "/"
        )
        blog = (info.get("base_blog_url") or info.get("link") or self.site_url).rstrip("/")
        self.site_name = info.get("title", "")
        for url in (self.site_url, blog, self.options.media_url):
            host = (urlsplit(url).hostname or "").lower()
            if host:
                self.hosts |= {host, host.removeprefix("www."), "www." + host.removeprefix("www.")}
        self.blog_path = urlsplit(blog).path.rstrip("/")
        if not self.options.dry_run:
            self._site_feeds()

    def _site_feeds(self):
        """The old site's own feeds → Digest's."""
        base = self.blog_path
        rss, atom = reverse("articles:feed_rss"), reverse("articles:feed_atom")
        targets = {
            f"{base}/feed/": rss, f"{base}/feed/rss2/": rss, f"{base}/feed/rss/": rss,
            f"{base}/rss/": rss, f"{base}/feed/atom/": atom, f"{base}/?feed=rss2": rss,
            f"{base}/?feed=rss": rss, f"{base}/?feed=atom": atom, f"{base}/comments/feed/": rss,
        }  # fmt: skip
        keys = {address_key(path): new_path for path, new_path in targets.items()}
        taken = set(OldAddress.objects.filter(path__in=keys).values_list("path", flat=True))
        rows = [OldAddress(path=k, new_path=v) for k, v in keys.items() if k not in taken]
        OldAddress.objects.bulk_create(rows, ignore_conflicts=True)
        self._count("redirects", "created", len(rows))
        self._count("redirects", "unchanged", len(taken))

    def _read_file(self, check):
        chunk: list[WxrItem] = []
        terms_done = False
        for thing in iter_wxr(check.path):
            if isinstance(thing, WxrTerm):
                self._term(thing)
                continue
            if not terms_done:
                self._terms_done()
                terms_done = True
            item = thing
            self.on_item()
            if item.post_type == "post":
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    self._posts(chunk)
                    chunk = []
            elif item.post_type == "page":
                self._page(item)
            elif item.post_type == "nav_menu_item":
                menu = next((n for d, n, _ in item.terms if d == "nav_menu"), "")
                self.menu_items.append((menu, item.menu_order, item))
            elif item.post_type == "attachment":
                continue  # used by the posts that show them (the index has what they need)
        if not terms_done:
            self._terms_done()
        if chunk:
            self._posts(chunk)
        self._unlinked_files()
        if self.address_rows and not self.options.dry_run:
            with transaction.atomic():
                self._flush_addresses()

    # -- messages -----------------------------------------------------------------------------

    def _line(self, level, text):
        self.on_line(level, text)

    def _count(self, kind, action, n=1):
        self.counts[kind][action] += n

    def _fail(self, kind, where, reason):
        self.failures += 1
        self._count(kind, "failed")
        self._line(0, f"failed: {where}: {reason}")

    def _lost(self, text):
        self.missing.append(text)
        self._line(1, f"not imported: {text}")

    # -- identity -----------------------------------------------------------------------------

    def _type(self, model):
        key = model._meta.label_lower
        if key not in self.types:
            self.types[key] = ContentType.objects.get_for_model(model)
        return self.types[key]

    def _identities(self, kind, ids):
        rows = ImportedItem.objects.filter(site_url=self.site_url, kind=kind, source_id__in=ids)
        return {row.source_id: row for row in rows}

    def _remember(self, kind, source_id, obj, *, guid="", source_hash="", saved_hash=""):
        self._remember_many(kind, [(source_id, obj, guid, source_hash, saved_hash)])

    def _remember_many(self, kind, rows):
        """Identity rows for *rows* of (source id, Digest object, guid, source hash, saved
        hash): new ones inserted, changed ones updated, the same ones left alone; three
        queries for the lot."""
        if self.options.dry_run or not rows:
            return
        wanted = {}
        for source_id, obj, guid, source_hash, saved_hash in rows:
            wanted[str(source_id)] = {
                "content_type_id": self._type(type(obj)).pk, "object_id": obj.pk,
                "guid": guid[:500], "source_hash": source_hash, "saved_hash": saved_hash,
            }  # fmt: skip
        known = self._identities(kind, list(wanted))
        new, changed, now = [], [], timezone.now()
        for source_id, values in wanted.items():
            row = known.get(source_id)
            if row is None:
                new.append(
                    ImportedItem(
                        site_url=self.site_url,
                        kind=kind,
                        source_id=source_id,
                        imported_at=now,
                        **values,
                    )  # fmt: skip
                )
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.imported_at = now
                changed.append(row)
        if new:
            ImportedItem.objects.bulk_create(new)
        if changed:
            fields = ["content_type_id", "object_id", "guid", "source_hash", "saved_hash"]
            ImportedItem.objects.bulk_update(changed, [*fields, "imported_at"])

    def _addresses(self, obj, paths, *, primary=(), view="page"):
        """Old addresses of *obj*: *primary* ones (its own links) replace what another item
        left there; the others (the permalink structures it may have had) only fill gaps.
        Written by `_flush_addresses`, a batch at a time."""
        if self.options.dry_run or obj.pk is None:
            return
        content_type = self._type(type(obj)).pk
        for path, strong in [*((p, True) for p in primary), *((p, False) for p in paths)]:
            key = address_key(path)
            if len(key) <= 500 and key != "/":
                self.address_rows.append((key, content_type, obj.pk, view, strong, ""))

    def _file_addresses(self, url: str, new_path: str):
        """The old upload *url* and the resized copies WordPress made of it (found beside
        it in --media-dir) → the file's address in Digest."""
        if self.options.dry_run or not new_path:
            return
        old = urlsplit(url).path
        paths = [old]
        path = uploads_path(url)
        if self.options.media_dir is not None and path:
            original = Path(original_upload(path))
            folder = self.options.media_dir / original.parent
            pattern = re.compile(
                re.escape(original.stem)
                + r"-(?:\d+x\d+|scaled|rotated)"
                + re.escape(original.suffix)
            )
            if folder.is_dir():
                prefix = old[: len(old) - len(path)]
                paths += [
                    f"{prefix}{original.parent}/{f.name}"
                    for f in sorted(folder.iterdir())
                    if pattern.fullmatch(f.name)
                ]
                paths.append(f"{prefix}{original}")
        for each in dict.fromkeys(paths):
            key = address_key(unquote(each))
            if len(key) <= 500:
                self.address_rows.append((key, None, None, "", True, new_path))

    def _flush_addresses(self):
        rows, self.address_rows = self.address_rows, []
        wanted: dict[str, tuple[str, int | None, int | None, str, bool, str]] = {}
        for row in rows:
            if row[0] not in wanted or (row[4] and not wanted[row[0]][4]):
                wanted[row[0]] = row
        # The new addresses go in first (a first import: all of them, and no query to find
        # which exist); only the ones already there are read, to be left or moved.
        created = _insert_new_addresses([(k, *row[1:4], row[5]) for k, row in wanted.items()])
        self._count("redirects", "created", len(created))
        keys = [key for key in wanted if key not in created]
        existing = {}
        for start in range(0, len(keys), 500):
            for path, ct, oid, view, new_path in OldAddress.objects.filter(
                path__in=keys[start : start + 500]
            ).values_list("path", "content_type_id", "object_id", "view", "new_path"):
                existing[path] = (ct, oid, view, new_path)
        moved = []
        for key in keys:
            _, ct, oid, view, strong, new_path = wanted[key]
            if existing.get(key) == (ct, oid, view, new_path):
                self._count("redirects", "unchanged")
            elif strong:
                moved.append(
                    OldAddress(
                        path=key, content_type_id=ct, object_id=oid, view=view, new_path=new_path
                    )
                )
        if moved:
            OldAddress.objects.bulk_create(
                moved,
                update_conflicts=True,
                unique_fields=["path"],
                update_fields=["content_type", "object_id", "view", "new_path"],
            )
            self._count("redirects", "updated", len(moved))

    # -- channel terms ------------------------------------------------------------------------

    def _term(self, term: WxrTerm):
        values = term.fields
        if term.kind == "author":
            self._author(values)
        elif term.kind == "category":
            self.pending_categories.append(values)
        elif term.kind == "tag":
            if name := values.get("tag_name", ""):
                self.pending_tags.append((name, values.get("tag_slug", "")))

    def _terms_done(self):
        """The channel's terms, once all are known, in one transaction: categories (parents
        before their children), then the tags together."""
        with transaction.atomic():
            self._categories_done()
            self._tags_ensure(self.pending_tags)
            self.pending_tags = []
            if not self.options.dry_run:
                self._flush_addresses()

    def _categories_done(self):
        by_slug = {}
        for values in self.pending_categories:
            slug = unquote(values.get("category_nicename", "")) or slugify(
                values.get("cat_name", "")
            )
            if slug:
                by_slug[slug] = values
                if values.get("term_id", "").isdigit():
                    self.term_ids[int(values["term_id"])] = slug
        self.pending_categories = []
        self.category_terms.update(by_slug)

        def depth(slug, seen=()):
            parent = unquote(by_slug.get(slug, {}).get("category_parent", ""))
            if not parent or parent not in by_slug or parent in seen:
                return 0
            return 1 + depth(parent, (*seen, slug))

        for slug in sorted(by_slug, key=depth):
            self._category(slug, by_slug[slug].get("cat_name", slug), by_slug[slug])

    def _category_path(self, slug, seen=()):
        values = self.category_terms.get(slug, {})
        parent = unquote(values.get("category_parent", ""))
        if parent and parent in self.category_terms and parent not in seen:
            return f"{self._category_path(parent, (*seen, slug))}/{slug}"
        return slug

    def _category(self, wp_slug, name, values=None):
        """The Digest category of the WordPress category *wp_slug* (made when new), or None
        for Uncategorized."""
        if wp_slug in self.categories:
            return self.categories[wp_slug]
        name = html.unescape(name or wp_slug)
        self.category_paths[wp_slug] = self._category_path(wp_slug)
        mapped = self.options.category_map.get(wp_slug) or self.options.category_map.get(name)
        if mapped is None and (wp_slug in UNCATEGORIZED or name.lower() in UNCATEGORIZED):
            self.categories[wp_slug] = None
            if self.default_category is not None and not self.options.dry_run:
                # its archive and feed lead to where its posts went
                base, term_id = self.blog_path, (values or {}).get("term_id", "")
                self._addresses(
                    self.default_category,
                    [
                        f"{base}/category/{wp_slug}/",
                        *([f"{base}/?cat={term_id}"] if term_id else []),
                    ],
                )
                self._addresses(
                    self.default_category, [f"{base}/category/{wp_slug}/feed/"], view="feed"
                )
            return None
        existing = self._identities("category", [wp_slug]).get(wp_slug)
        category = mapped
        if category is None and existing is not None:
            category = Category.objects.filter(pk=existing.object_id).first()
        slug = slugify(wp_slug, max_length=100) or slugify(name, max_length=100)
        if category is None:  # the site's own category of that slug or name
            category = self.importer.categories.get(slug) or self.importer.categories.get(
                " ".join(name.split()).lower()
            )
        action = "unchanged"
        if category is None:
            parent = None
            parent_slug = unquote((values or {}).get("category_parent", ""))
            if parent_slug and parent_slug != wp_slug:
                parent_values = self.category_terms.get(parent_slug)
                parent = self._category(
                    parent_slug, (parent_values or {}).get("cat_name", ""), parent_values
                )
                while parent is not None and parent.parent is not None:
                    # Digest nests two levels: a deeper WordPress category joins its grandparent.
                    parent = parent.parent
                if parent is not None and values and depth_of(self, wp_slug) > 1:
                    self._line(
                        1,
                        f"note: category “{name}” is nested deeper than two levels: it is "
                        f"filed under “{parent.name}”",
                    )
            if slug in RESERVED_SLUGS:
                slug = f"{slug}-category"
            description = strip_tags((values or {}).get("category_description", ""))
            if self.options.dry_run:
                category = Category(name=name[:100], slug=slug, parent=parent)
            else:
                category = services.category_create(
                    name=name[:100],
                    slug=services.unique_slug(Category, slug),
                    parent=parent,
                    description=description,
                    menu_order=5000,
                )
                self.created_categories.append(category)
            self.importer.categories[category.slug] = category
            self.importer.categories.setdefault(" ".join(category.name.split()).lower(), category)
            action = "created"
        self._count("categories", action)
        if category.pk and not self.options.dry_run:
            self._remember("category", wp_slug, category)
            base = self.blog_path
            path = self.category_paths[wp_slug]
            self._addresses(
                category,
                [f"{base}/category/{path}/", f"{base}/category/{wp_slug}/"],
                primary=[f"{base}/category/{path}/"],
            )
            self._addresses(category, [f"{base}/category/{path}/feed/"], view="feed")
            if term_id := (values or {}).get("term_id", ""):
                self._addresses(category, [], primary=[f"{base}/?cat={term_id}"])
        self.categories[wp_slug] = category
        return category

    def _author(self, values):
        login = values.get("author_login", "").strip()
        if not login:
            return None
        key = login.lower()
        name = plain_name(
            html.unescape(
                values.get("author_display_name")
                or " ".join(
                    filter(None, [values.get("author_first_name"), values.get("author_last_name")])
                )
                or login
            )
        )
        self.author_names[key] = name
        if key in self.authors:
            author = self.authors[key]
            self.importer.authors[" ".join(author.name.split()).lower()] = author
            return author
        existing = self._identities("author", [key]).get(key)
        author = Author.objects.filter(pk=existing.object_id).first() if existing else None
        action = "unchanged"
        if author is None:
            author = Author.objects.filter(name__iexact=name).first()
            action = "updated" if author else "created"
        if author is None:
            nicename = slugify(values.get("author_nicename") or login)
            if self.options.dry_run:
                author = Author(name=name, slug=nicename)
            else:
                author = services.author_get_or_create(name=name, slug=nicename)
        self._count("authors", action)
        self.authors[key] = author
        self.importer.authors[" ".join(author.name.split()).lower()] = author
        if author.pk and not self.options.dry_run:
            self._remember("author", key, author)
            base = self.blog_path
            paths = [f"{base}/author/{slugify(login)}/", f"{base}/author/{login}/"]
            if values.get("author_id", "").isdigit():
                paths.append(f"{base}/?author={values['author_id']}")
            self._addresses(author, paths, primary=paths[:1])
            self._addresses(author, [f"{base}/author/{slugify(login)}/feed/"], view="feed")
        return author

    def _tag(self, name, wp_slug=""):
        self._tags_ensure([(name, wp_slug)])
        return self.tags.get(plain_name(html.unescape(name)).lower())

    def _tags_ensure(self, pairs):
        """The tags of *pairs* (name, WordPress slug) in Digest, found or made together."""
        wanted: dict[str, tuple[str, str]] = {}
        for name, wp_slug in pairs:
            name = plain_name(html.unescape(name))
            key = name.lower()
            if key and key not in self.tags and key not in wanted:
                wanted[key] = (name, unquote(wp_slug) or slugify(name))
        if not wanted:
            return
        names = [name for name, _ in wanted.values()]
        if self.options.dry_run:
            found = services.tags_find(names=names)
            created = {key for key in wanted if key not in found}
            found.update({key: Tag(name=wanted[key][0]) for key in created})
        else:
            found, created = services.tags_get_or_create_many(names=names)
        remember, base = [], self.blog_path
        for key, (_, wp_slug) in wanted.items():
            tag = found[key]
            self.tags[key] = self.importer.tags[key] = tag
            self._count("tags", "created" if key in created else "unchanged")
            if tag.pk is None:
                continue
            remember.append((wp_slug, tag, "", "", ""))
            paths = [f"{base}/tag/{wp_slug}/", f"{base}/?tag={wp_slug}"]
            self._addresses(tag, paths, primary=paths)
            self._addresses(tag, [f"{base}/tag/{wp_slug}/feed/"], view="feed")
        self._remember_many("tag", remember)

    # -- posts --------------------------------------------------------------------------------

    def _posts(self, items: list[WxrItem]):
        with transaction.atomic():
            self._posts_in_transaction(items)

    def _posts_in_transaction(self, items: list[WxrItem]):
        pieces, planned = [], []
        identities = self._identities("post", [str(i.post_id) for i in items])
        alive = set(
            Article.objects.filter(
                pk__in=[row.object_id for row in identities.values()]
            ).values_list("pk", flat=True)
        )
        for source_id, row in list(identities.items()):
            if row.object_id not in alive:  # deleted in Digest since: imported again
                if not self.options.dry_run:
                    row.delete()
                del identities[source_id]
        self._tags_ensure(
            [
                (name, slug)
                for item in items
                for domain, slug, name in item.terms
                if domain in ("post_tag", "tag")
            ]  # fmt: skip
        )
        for item in items:
            where = self._where(item)
            try:
                decision = self._decide_existing(item, identities.get(str(item.post_id)))
                if decision is None:
                    continue
                parsed, source_hash = decision
            except (ValueError, ValidationError) as error:
                self._fail("posts", where, str(error))
                continue
            pieces.append((parsed, None))
            planned.append((item, parsed, source_hash))
        if pieces:
            outcomes = self.importer.import_many(pieces)
            saved = [
                (item, parsed, source_hash, outcome)
                for (item, parsed, source_hash), outcome in zip(planned, outcomes, strict=True)
            ]
            self._after_posts(saved)
        if not self.options.dry_run:
            self._flush_addresses()

    def _where(self, item):
        title = " ".join(html.unescape(item.title).split()) or "(no title)"
        return f"{self.file}: post {item.post_id} “{title}”"

    def _since_skips(self, item):
        since = self.options.since
        if since is None:
            return False
        moments = [
            _gmt(item.post_date_gmt, item.post_date, self.offset),
            _gmt(item.post_modified_gmt, item.post_modified, self.offset),
        ]
        newest = max((m for m in moments if m), default=None)
        return newest is not None and newest < since

    def _decide_existing(self, item, identity):
        """(parsed, source hash) for the pipeline, or None when the post is not sent."""
        if self._since_skips(item):
            self.older += 1
            return None
        target = self.status_map.get(item.status)
        if target is None:
            raise ValueError(
                f"unknown status “{item.status}” (give --status-map {item.status}=draft)"
            )
        if target == "skip":
            if not self.options.dry_run:  # its ?p= address stays a 404, as in WordPress
                key = address_key(f"{self.blog_path}/?p={item.post_id}")
                self.address_rows.append((key, None, None, "", False, ""))
            self._count("posts", "skipped")
            self._line(2, f"skipped: {self._where(item)}: status “{item.status}”")
            return None
        source_hash = _hash(
            item.title, item.content, item.excerpt, item.post_name, item.status,
            item.post_date_gmt, item.post_date, item.is_sticky, item.terms, item.meta,
            item.creator, target, self.options.default_category,
        )  # fmt: skip
        if identity is not None:
            if identity.source_hash == source_hash:
                self._count("posts", "unchanged")
                self._line(2, f"unchanged: {self._where(item)}")
                return None
            elif self.options.on_existing == "skip":
                self._count("posts", "skipped")
                self._line(
                    1, f"skipped: {self._where(item)}: already imported (--on-existing skip)"
                )
                return None
            elif self.options.on_existing != "update":
                article = Article.objects.prefetch_related("tags").get(pk=identity.object_id)
                current = article_hash(
                    article,
                    [t.name for t in article.tags.all()],
                    list(article.authors.values_list("pk", flat=True)),
                )
                if current != identity.saved_hash:
                    self._count("posts", "skipped")
                    self._line(
                        1,
                        f"skipped: {self._where(item)}: changed in WordPress, but an editor "
                        "changed it in Digest since the import; --on-existing update overwrites",
                    )
                    return None
        return self._parsed(item, target), source_hash

    def _parsed(self, item: WxrItem, target: str) -> ParsedArticle:
        if item.post_date_gmt and item.post_date and not item.post_date_gmt.startswith("0000"):
            try:
                local = datetime.strptime(item.post_date, "%Y-%m-%d %H:%M:%S")
                gmt = datetime.strptime(item.post_date_gmt, "%Y-%m-%d %H:%M:%S")
                self.offset = local - gmt
            except ValueError:
                pass
        published = _gmt(item.post_date_gmt, item.post_date, self.offset)
        status = {"scheduled": "published"}.get(target, target)
        if item.password.strip() and status == "published":
            # WordPress showed it only to readers with the password: never public here
            status = "draft"
            self._lost(f"{self._where(item)}: password-protected in WordPress: imported as a "
                       "draft for an editor")  # fmt: skip
        if target == "published" and published and published > timezone.now():
            pass  # WordPress said publish with a future date: scheduled here too
        if target == "scheduled" and published is None:
            raise ValueError("a scheduled post without a date")
        title = " ".join(html.unescape(item.title).split())
        body = self._body(item.content, item.post_id)
        if not strip_tags(body.html).strip() and "<img" not in body.html:
            body.html = "<p></p>"  # an empty WordPress post: kept, for an editor to write
        slug = unquote(item.post_name).strip()
        parsed = ParsedArticle(
            title=title or f"Untitled (WordPress post {item.post_id})",
            title_derived=not title,
            body_html=body.html or "<p></p>",
            slug=slug if slug and not slug.startswith("__trashed") else "",
            standfirst=" ".join(strip_tags(html.unescape(item.excerpt)).split())
            if item.excerpt
            else "",
            status=status,
            published=published,
            origin=f"post {item.post_id}",
            import_key=hashlib.sha256(f"wp:{self.site_url}|{item.post_id}".encode()).hexdigest()[
                :40
            ],
            revision_comment=f"Imported from WordPress ({self.file})",
            is_featured=item.is_sticky,
            modified=_gmt(item.post_modified_gmt, item.post_modified, self.offset),
        )
        if body.internal_links:
            self.link_keys.add(parsed.import_key)
        parsed.category = self._post_category(item)
        parsed.tags = [
            t.name
            for t in (
                self._tag(name, slug)
                for domain, slug, name in item.terms
                if domain in ("post_tag", "tag")
            )
            if t is not None
        ]
        parsed.authors = [self._post_author(item)] if item.creator else []
        parsed.authors = [a for a in parsed.authors if a]
        meta = item.meta
        for name, keys in SEO_KEYS.items():
            value = next((meta[k] for k in keys if meta.get(k)), "")
            if name != "canonical_url":
                value = _seo_text(html.unescape(value), title, self.site_name)
            setattr(
                parsed, name, value[: {"seo_title": 200, "seo_description": 300}.get(name, 500)]
            )
        if (urlsplit(parsed.canonical_url).hostname or "").lower() in self.hosts:
            parsed.canonical_url = ""  # its own old address: that now redirects here
        for name, keys in PROVENANCE_KEYS.items():
            value = next((meta[k].strip() for k in keys if meta.get(k, "").strip()), "")
            setattr(parsed, name, value)
        source, language = provenance_parse(parsed.source)
        line_source, line_language = provenance_parse(body.provenance_line)
        parsed.source = source or line_source
        parsed.source_language = parsed.source_language or language or line_language
        if parsed.source_language and parsed.source_language not in LANGUAGE_CODES:
            parsed.source_language = LANGUAGES.get(parsed.source_language.lower(), "")
        for file in body.files:  # missing or refused (why: said once per file), or --skip-media
            self._lost(f"{self._where(item)}: the link to {file} still points at the old site")
        if parsed.source:
            home, language = source_defaults(parsed.source)
            parsed.source_home = home
            parsed.source_language = parsed.source_language or language
        self.comments += item.comments
        self._featured(item, parsed)
        return parsed

    def _post_category(self, item):
        cats = [(slug, name) for domain, slug, name in item.terms if domain == "category"]
        primary = item.meta.get("_yoast_wpseo_primary_category") or item.meta.get(
            "rank_math_primary_category"
        )
        if primary and primary.isdigit() and int(primary) in self.term_ids:
            wanted = self.term_ids[int(primary)]
            cats.sort(key=lambda c: unquote(c[0]) != wanted)
        for slug, name in cats:
            slug = unquote(slug) or slugify(name)
            if slug not in self.category_terms and slug not in self.categories:
                self._line(
                    1,
                    f"note: {self._where(item)}: category “{html.unescape(name)}” is not in "
                    "the export's list (deleted in WordPress?): made from the post's own",
                )
                self.category_terms[slug] = {"category_nicename": slug, "cat_name": name}
            category = self._category(slug, name, self.category_terms.get(slug))
            if category is not None:
                return category.slug
        if self.default_category is not None:
            return self.default_category.slug
        return ""  # the pipeline files it as a draft under Unsorted, and says so

    def _post_author(self, item):
        login = item.creator.lower()
        if login not in self.authors:
            self._author({"author_login": item.creator})
        author = self.authors.get(login)
        return author.name if author else ""

    # -- media --------------------------------------------------------------------------------

    def _media_file(
        self, url: str, *, limit: int | None = None, exact: bool = False
    ) -> tuple[Path | None, str]:
        """The local file of an uploads URL (the original upload, not a resized copy; the
        file of that very path when *exact*: a PDF's name may end in ``-1920x1080``), or
        fetched with --fetch-media (at most *limit* bytes: the image limit unless told)."""
        path = uploads_path(url)
        if not path:
            return None, f"{url} is not under /wp-content/uploads/"
        if self.options.media_dir is None and not self.options.fetch_media:
            return None, "no --media-dir given"
        for candidate in dict.fromkeys([path] if exact else [original_upload(path), path]):
            file = self.options.media_dir / candidate if self.options.media_dir else None
            if file is not None and file.is_file():
                return file, ""
        if not self.options.fetch_media:
            return None, f"no file {path} in --media-dir (give --fetch-media to fetch it)"
        if self.fetch_dir is None:
            self.fetch_dir = Path(tempfile.mkdtemp(prefix="digest-wp-media-"))
        try:
            return fetch_image(url, folder=self.fetch_dir, limit=limit), ""
        except FetchError as error:
            return None, f"not in --media-dir, and {error}"

    def _featured(self, item, parsed):
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if not thumbnail.isdigit() or self.options.skip_media:
            return
        entry = self.index.get(int(thumbnail))
        where = self._where(item)
        if entry is None or not entry.url:
            self._count("images", "skipped")
            self._lost(f"{where}: featured image {thumbnail} is not in the export")
            return
        file, reason = self._media_file(entry.url)
        if file is None:
            self._count("images", "skipped")
            self._lost(f"{where}: featured image {entry.url}: {reason}")
            return
        try:
            image_validate(file)
        except InvalidImageError as error:
            self._fail("images", where, f"featured image {entry.url}: {error}; imported without it")
            return
        parsed.image = str(file)
        alt = html.unescape(entry.alt or entry.title or "").strip() or file.stem.replace("-", " ")
        if not entry.alt:
            self._line(1, f"warning: {where}: featured image has no alt text; its title is used")
        parsed.image_alt = alt[:300]
        parsed.image_caption = strip_tags(html.unescape(entry.caption))[:500]
        parsed.image_credit = html.unescape(entry.credit)[:200]

    def _image_for(self, url: str) -> BodyImage | None:
        if self.options.skip_media:
            return None
        path = original_upload(uploads_path(url))
        if path in self.images:
            return self.images[path]
        image = None
        existing = self._identities("attachment", [path]).get(path)
        if existing is not None and existing.content_type_id == self._type(Image).pk:
            row = Image.objects.filter(pk=existing.object_id).first()
            if row is not None:
                image = BodyImage(src=row.url(), alt=row.alt_text, pk=row.pk, href=row.file.url)
                self._count("images", "unchanged")
        if image is None:
            file, reason = self._media_file(url)
            entry = self._entry_for(path)
            if file is None:
                self._count("images", "skipped")
                self._lost(f"{self.file}: image {url}: {reason}")
            elif self.options.dry_run:
                try:
                    image_validate(file)
                    self._count("images", "created")
                except InvalidImageError as error:
                    self._fail("images", f"{self.file}: image {url}", str(error))
            else:
                alt = html.unescape((entry.alt or entry.title) if entry else "") or Path(
                    path
                ).stem.replace("-", " ")
                try:
                    with file.open("rb") as handle:
                        row = services.image_create(
                            file=File(handle, name=Path(path).name),
                            alt_text=alt[:300],
                            caption=strip_tags(html.unescape(entry.caption))[:500] if entry else "",
                            credit=html.unescape(entry.credit)[:200] if entry else "",
                        )
                except (ValidationError, OSError) as error:
                    reason = " ".join(getattr(error, "messages", [str(error)]))
                    self._fail("images", f"{self.file}: image {url}", reason)
                else:
                    image = BodyImage(src=row.url(), alt=row.alt_text, pk=row.pk, href=row.file.url)
                    self._remember("attachment", path, row)
                    self._file_addresses(url, row.file.url)
                    self._count("images", "created")
        self.images[path] = image
        return image

    def _file_for(self, url: str) -> str | None:
        """The address in Digest of the old site's upload *url* that is not an image (a PDF,
        an Office document, audio), for the body being cleaned: known by its uploads path (an
        `ImportedItem` "attachment"), else brought from --media-dir (or --fetch-media) and
        checked like an admin upload. None when it is not here (missing, refused,
        --skip-media); in a dry run, which writes nothing, the link keeps its address."""
        if self.options.skip_media:
            return None
        url = url.split("#", 1)[0]  # the link keeps its fragment (a PDF's #page=2); not the file
        path = uploads_path(url)
        if not path:
            return None
        if path not in self.files:
            self.files.update(self._files_known([path]))
        if path not in self.files:
            entry = self._entry_for(original_upload(path))
            self.files[path] = self._file_bring(url, path, entry, self._where_of(self.body_of))
        return self.files[path]

    def _files_known(self, paths: list[str]) -> dict[str, str]:
        """{uploads path: address} of the files among *paths* an earlier run brought (and
        still in the library): two queries for up to a thousand paths; counted unchanged."""
        found: dict[str, str] = {}
        document_type = self._type(Document).pk
        for start in range(0, len(paths), 1000):
            identities = self._identities("attachment", paths[start : start + 1000])
            by_pk = {
                row.object_id: source_id
                for source_id, row in identities.items()
                if row.content_type_id == document_type
            }
            for document in Document.objects.filter(pk__in=by_pk).only("pk", "file"):
                found[by_pk[document.pk]] = document.url
        self._count("files", "unchanged", len(found))
        return found

    def _file_bring(self, url: str, path: str, entry: IndexEntry | None, where: str) -> str | None:
        """The upload *url* (at *path* under uploads/) as a `Document`, with its old address
        answering a 301 to the new one; None, with a line saying why, when it cannot be."""
        from django.conf import settings

        limit = settings.DIGEST_DOCUMENT_MAX_BYTES
        file, reason = self._media_file(url, limit=limit, exact=True)
        if file is None:
            self._count("files", "skipped")
            self._lost(f"{where}: file {url}: {reason}")
            return None
        if self.options.dry_run:
            try:
                document_validate(file, name=Path(path).name)
            except InvalidDocumentError as error:
                self._fail("files", f"{where}: file {url}", str(error))
                return None
            self._count("files", "created")
            return url
        title = " ".join(html.unescape(entry.title).split()) if entry else ""
        try:
            with file.open("rb") as handle, transaction.atomic():
                document = services.document_create(
                    file=File(handle, name=Path(path).name), title=title
                )
                self._remember("attachment", path, document)
        except (ValidationError, OSError) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
            self._fail("files", f"{where}: file {url}", reason)
            return None
        self._file_addresses(url, document.url)
        self._count("files", "created")
        return document.url

    def _unlinked_files(self):
        """The export's attachments that are not images and no post linked to, brought
        across after a file's posts: other sites link to an old report's address, which must
        keep answering. One lookup for all of them; an attachment that belongs to no post
        has its attachment page lead to the file. One whose name is of a kind the library
        does not take (a video, a zip) is listed, not tried: nobody's link depends on it here."""
        if self.options.skip_media:
            return
        wanted: dict[str, tuple[int, IndexEntry]] = {}
        for attachment_id, entry in self.index.items():
            if entry.post_type != "attachment" or not entry.url:
                continue
            if urlsplit(entry.url).path.lower().endswith(IMAGE_SUFFIXES):
                continue
            path = uploads_path(entry.url)
            if not path or path in self.files:
                continue
            suffix = Path(path).suffix.lower().lstrip(".")
            if suffix not in DOCUMENT_KINDS:
                self.files[path] = None
                self._count("files", "skipped")
                self._lost(
                    f"{self._where_of(attachment_id)}: file {entry.url}: a .{suffix or '?'} "
                    "file, not a kind the Files library takes (PDF, Office documents, text, "
                    "audio)"
                )
                continue
            wanted.setdefault(path, (attachment_id, entry))
        if not wanted:
            return
        self.files.update(self._files_known(list(wanted)))
        for path, (attachment_id, entry) in wanted.items():
            if path not in self.files:
                where = self._where_of(attachment_id)
                self.files[path] = self._file_bring(entry.url, path, entry, where)
            address = self.files[path]
            if address and not entry.parent and not self.options.dry_run:
                pages = [f"{self.blog_path}/?attachment_id={attachment_id}"]
                if entry.link:
                    pages.append(_path_of(entry.link))
                for page in pages:
                    key = address_key(page)
                    if len(key) <= 500 and key != "/":
                        self.address_rows.append((key, None, None, "", False, address))

    def _where_of(self, post_id):
        """`_where` of an item known by its ID alone (from the index)."""
        entry = self.index.get(post_id)
        if entry is None:
            return self.file
        title = " ".join(html.unescape(entry.title).split()) or "(no title)"
        return f"{self.file}: {entry.post_type} {post_id} “{title}”"

    def _children(self, parent):
        """The attachments uploaded to the post *parent* (WordPress's post_parent)."""
        if self.children_of is None:
            self.children_of = {}
            for pk, entry in sorted(self.index.items()):
                if entry.post_type == "attachment" and entry.parent:
                    self.children_of.setdefault(entry.parent, []).append(pk)
        return self.children_of.get(parent, [])

    def _entry_for(self, path):
        if self.by_file is None:
            self.by_file = {}
            for entry in self.index.values():
                if entry.post_type == "attachment" and entry.url:
                    self.by_file[original_upload(uploads_path(entry.url))] = entry
        return self.by_file.get(path)

    def _body(self, content, post_id):
        index = self.index

        def attachment_url(attachment_id):
            entry = index.get(attachment_id)
            return entry.url if entry is not None else ""  # mapped with the body's images

        def attachment_alt(attachment_id):
            entry = index.get(attachment_id)
            return html.unescape(entry.alt or entry.title) if entry else ""

        def children(parent):
            return self._children(parent)

        context = BodyContext(
            old_hosts=self.hosts,
            attachment_url=attachment_url,
            attachment_alt=attachment_alt,
            children=children,
            image_for=self._image_for,
            file_for=self._file_for,
        )
        self.body_of = post_id  # whose links `_file_for` answers for, in what it reports
        body = clean_body(content, context, post_id=post_id)
        for name in body.unknown_shortcodes:
            self.unknown_shortcodes[name] += 1
        return body

    # -- after a chunk of posts ---------------------------------------------------------------

    def _after_posts(self, saved):
        for item, _parsed, _, outcome in saved:
            self._report(item, outcome)
        if self.options.dry_run:
            return
        done = [row for row in saved if row[3].action in ("created", "updated", "unchanged")]
        # New articles of the bulk path are as written; the others are read back as stored.
        articles = {
            o.article.pk: o.article
            for *_, o in done
            if o.article is not None and services.article_written(o.article) is not None
        }
        if others := [o.article.pk for *_, o in done if o.article and o.article.pk not in articles]:
            articles.update(
                (a.pk, a)
                for a in Article.objects.filter(pk__in=others)
                .select_related("category")
                .prefetch_related("tags", "authors")
            )
        modified, remember = [], []
        for item, parsed, source_hash, outcome in done:
            article = articles.get(outcome.article.pk) if outcome.article else None
            if article is None:
                continue
            if (written := services.article_written(article)) is not None:
                tags, authors = written["tags"], sorted(written["authors"], key=_by_name)
            else:
                tags, authors = article.tags.all(), article.authors.all()
            saved_hash = article_hash(article, [t.name for t in tags], [a.pk for a in authors])
            remember.append((item.post_id, article, item.guid, source_hash, saved_hash))
            if parsed.image:  # the featured image came across with the post
                new = outcome.action in ("created", "updated") and "featured_image" in (
                    outcome.changes or ["featured_image"]
                )
                self._count("images", "created" if new else "unchanged")
            if parsed.import_key in self.link_keys:
                self.linked.append(article.pk)
            moment = parsed.modified
            if moment and outcome.action in ("created", "updated") and article.updated_at != moment:
                article.updated_at = moment
                modified.append(article)
            self._addresses(article, self._post_paths(item, article), primary=self._own(item))
            for attachment in self._children(item.post_id):  # attachment pages → the post
                entry = self.index[attachment]
                paths = [f"{self.blog_path}/?attachment_id={attachment}"]
                if entry.link:
                    paths.append(_path_of(entry.link))
                self._addresses(article, paths)
            if parsed.image and article.featured_image:
                thumbnail = self.index.get(int(item.meta.get("_thumbnail_id", "0") or 0))
                if thumbnail is not None:
                    self._file_addresses(thumbnail.url, article.featured_image.url)
        self._remember_many("post", remember)
        if modified:  # saved one by one (with an image, or updated): dated afterwards
            Article.objects.bulk_update(modified, ["updated_at"])

    def _report(self, item, outcome: Outcome):
        action = outcome.action
        where = self._where(item)
        if action == "failed":
            self._fail("posts", where, outcome.message)
            return
        self._count("posts", action)
        for warning in outcome.warnings:
            self._line(1, f"warning: {where}: {warning}")
        if action in ("created", "updated"):
            prefix = "would be " if self.options.dry_run else ""
            self._line(1, f"{prefix}{action}: {where}")
        elif action == "skipped":
            self._line(1, f"skipped: {where}: {outcome.message}")
        else:
            self._line(2, f"{action}: {where}")

    def _own(self, item):
        own = [f"{self.blog_path}/?p={item.post_id}"]
        if item.link:
            own.insert(0, _path_of(item.link))
        return own

    def _post_paths(self, item, article):
        """The addresses WordPress's permalink structures would have given the post."""
        base = self.blog_path
        slug = unquote(item.post_name)
        paths = [f"{base}/archives/{item.post_id}/"]
        if item.guid and (urlsplit(item.guid).hostname or "").lower() in self.hosts:
            paths.append(_path_of(item.guid))
        if slug:
            local = item.post_date if not item.post_date.startswith("0000") else ""
            if local:
                y, m, d = local[:4], local[5:7], local[8:10]
                paths += [f"{base}/{y}/{m}/{d}/{slug}/", f"{base}/{y}/{m}/{slug}/"]
            paths.append(f"{base}/{slug}/")
            for domain, term, _ in item.terms:
                if domain == "category":
                    path = self.category_paths.get(unquote(term), unquote(term))
                    paths += [f"{base}/{path}/{slug}/", f"{base}/category/{path}/{slug}/"]
            paths.append(f"{base}/{slug}/feed/")
        if item.link:  # its comments' feed: the article
            paths.append(_path_of(item.link).split("?")[0].rstrip("/") + "/feed/")
        return paths

    # -- pages --------------------------------------------------------------------------------

    def _page_url(self, item):
        slugs, seen, entry_id = [], set(), item.post_id
        slug = unquote(item.post_name) or slugify(item.title)
        slugs.append(slugify(slug) or f"page-{item.post_id}")
        parent = item.parent
        while parent and parent not in seen and parent in self.index:
            seen.add(parent)
            entry = self.index[parent]
            slugs.insert(0, slugify(unquote(entry.slug)) or f"page-{parent}")
            parent = entry.parent
        del entry_id
        if slugs[0] in RESERVED_SLUGS:
            slugs.insert(0, "pages")
        return "/" + "/".join(slugs) + "/"

    def _page(self, item: WxrItem):
        where = f"{self.file}: page {item.post_id} “{' '.join(html.unescape(item.title).split())}”"
        if self._since_skips(item):
            self.older += 1
            return
        target = self.status_map.get(item.status)
        if target is None:
            self._fail("pages", where, f"unknown status “{item.status}”")
            return
        if target == "skip" or (target in ("draft", "review") and item.status != "publish"):
            self._count("pages", "skipped")
            self._lost(f"{where}: a {item.status} page (static pages have no drafts)")
            return
        source_hash = _hash(item.title, item.content, item.post_name, item.parent)
        identity = self._identities("page", [str(item.post_id)]).get(str(item.post_id))
        page = FlatPage.objects.filter(pk=identity.object_id).first() if identity else None
        url = page.url if page else self._page_url(item)
        if page is None:
            page = FlatPage.objects.filter(url=url).first()  # the site's own "Who we are"
        action = "created" if page is None else "updated"
        if identity is not None and page is not None:
            if identity.source_hash == source_hash:
                self._count("pages", "unchanged")
                self._line(2, f"unchanged: {where}")
                return
            if self.options.on_existing == "skip" or (
                self.options.on_existing != "update" and page_hash(page) != identity.saved_hash
            ):
                self._count("pages", "skipped")
                self._line(1, f"skipped: {where}: changed in Digest since the import")
                return
        body = self._body(item.content, item.post_id)
        title = " ".join(html.unescape(item.title).split()) or url.strip("/")
        if self.options.dry_run:
            self._count("pages", action)
            self._line(1, f"would be {action}: {where} at {url}")
            return
        try:
            with transaction.atomic():
                page = services.flatpage_save(page=page, url=url, title=title, content=body.html)
                self._remember(
                    "page", item.post_id, page, guid=item.guid, source_hash=source_hash,
                    saved_hash=page_hash(page),
                )  # fmt: skip
                self._addresses(page, [f"{self.blog_path}/?page_id={item.post_id}"],
                                primary=self._own(item)[:1])  # fmt: skip
                self._flush_addresses()
        except (ValidationError, DatabaseError) as error:
            self._fail("pages", where, " ".join(getattr(error, "messages", [str(error)])))
            return
        self._count("pages", action)
        self._line(1, f"{action}: {where} at {url}")

    # -- the menu -----------------------------------------------------------------------------

    def _apply_menu(self):
        if not self.menu_items:
            return
        menus = Counter(menu for menu, _, _ in self.menu_items)
        wanted = self.options.menu
        if wanted:
            menu = wanted if wanted in menus else ""
            if not menu:
                raise WordPressError(f"--menu {wanted}: no such menu ({', '.join(menus)})")
        else:
            menu = next(
                (m for m in ("primary", "main", "main-menu", "primary-menu", "menu") if m in menus),
                menus.most_common(1)[0][0],
            )
        items = sorted((order, item) for m, order, item in self.menu_items if m == menu)
        ordered: list[Category] = []
        for _, item in items:
            meta = item.meta
            kind, obj = meta.get("_menu_item_object", ""), meta.get("_menu_item_object_id", "")
            label = html.unescape(item.title) or "(no title)"
            if kind == "category" and obj.isdigit() and int(obj) in self.term_ids:
                category = self.categories.get(self.term_ids[int(obj)])
                if category is not None and category not in ordered:
                    ordered.append(category)
                    continue
            if kind == "category":
                reason = f"its category (term {obj}) is not in the export (deleted in WordPress?)"
            else:
                what = {"custom": "a custom link", "page": "a page", "post": "a post"}.get(
                    kind, f"a {kind or 'link'}"
                )
                reason = f"it is {what}: the menu holds categories only"
            self._lost(f"menu “{menu}” item {item.post_id} “{label}”: {reason}")
        if ordered and not self.options.dry_run:
            services.categories_order_menu(
                ordered=[c for c in ordered if c.pk],
                # the site's menu had no place for the others made now
                hidden=[c for c in self.created_categories if c not in ordered],
            )

    # -- internal links -----------------------------------------------------------------------

    def _rewrite_links(self):
        """Links to the old site's posts and pages point at their new addresses, now that
        every one of them is in (a link to a post later in the export included)."""
        from ...moved import old_address_lookup

        cache: dict[str, str | None] = {}

        def resolve(path):
            if path not in cache:
                cache[path] = old_address_lookup(path)
            return cache[path]

        for start in range(0, len(self.linked), CHUNK):
            pks = self.linked[start : start + CHUNK]
            with transaction.atomic():
                for article in Article.objects.filter(pk__in=pks).prefetch_related(
                    "tags", "authors"
                ):
                    body = links_rewrite(article.body, resolve)
                    if body == article.body:
                        continue
                    Article.objects.filter(pk=article.pk).update(body=body)
                    article.body = body
                    ImportedItem.objects.filter(
                        content_type=self._type(Article), object_id=article.pk
                    ).update(
                        saved_hash=article_hash(
                            article,
                            [t.name for t in article.tags.all()],
                            [a.pk for a in article.authors.all()],
                        )
                    )


def depth_of(run: WordPressImport, slug: str) -> int:
    """How deep the WordPress category *slug* sits (0: top level)."""
    return run._category_path(slug).count("/")
