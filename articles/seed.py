"""Build the seed fixtures from the two source documents in ``fixtures/sources/``.

The documents are parsed by the importer's own parsers and saved through the services, in a
scratch database, then serialised with natural keys. Nothing here restates what the documents
say: the only inputs besides them are the MANIFEST (which file is which format, and what an
editor decided when filing it) and honest placeholders for what the documents do not say.
"""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core import serializers
from django.db import transaction
from django.utils.html import escape

from . import services
from .importers.base import ParseError
from .importers.page import parse_page
from .importers.pipeline import Importer, ImportOptions, read_pieces
from .models import (
    Article,
    Author,
    Byline,
    Category,
    SiteIdentity,
    Source,
    Tag,
    TaggedArticle,
    Translation,
)
from .text import slugify

SOURCES_DIR = Path(settings.BASE_DIR) / "fixtures" / "sources"
FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# What an editor decided when filing each document (the importer's --format/--category/--status).
MANIFEST = [
    {"file": "003_8c106ac386b3e1e2.txt", "format": "page", "status": "published"},
    {"file": "000_4538a9cdd6164cad.txt", "format": "txt", "status": "published",
     "category": "News"},
]  # fmt: skip
SITE_DOCUMENT = "003_8c106ac386b3e1e2.txt"

PLACEHOLDER = (
    "<p><strong>This page has not been written yet.</strong> An editor must write the "
    "{title} in the admin (Static pages) before the site goes live; nothing here is the "
    "site’s policy.</p>"
)

# Files written, in the order they load (later files refer to earlier ones by natural key).
FIXTURE_FILES = ["site.json", "categories.json", "people.json", "articles.json"]


def build(sources_dir=SOURCES_DIR):
    """Create the seed content in the current (scratch) database and return it serialised:
    ``{file name: JSON text}``."""
    page = parse_page((sources_dir / SITE_DOCUMENT).read_text(encoding="utf-8"))
    site_info = page.site

    with transaction.atomic():
        identity = SiteIdentity.objects.create(
            pk=1,
            name=site_info.name,
            tagline=site_info.tagline,
            about=site_info.about,
            contact_email=site_info.contact_email,
            copyright_year=site_info.copyright_year,
        )
        for order, entry in enumerate(site_info.menu, start=1):
            parent = services.category_create(name=entry.name, menu_order=order * 10)
            for child_order, child in enumerate(entry.children, start=1):
                services.category_create(name=child, parent=parent, menu_order=child_order * 10)

        for item in MANIFEST:
            # The same path as `import_articles FILE --format F --status S [--category C]
            # --keep-dates`.
            # The seeds are the site's archive: published at their own dates (--keep-dates).
            options = ImportOptions(
                format=item["format"],
                status=item["status"],
                category=item.get("category", ""),
                keep_dates=True,
            )
            for _, parsed, _ in read_pieces(sources_dir / item["file"], options):
                if isinstance(parsed, ParseError):
                    raise parsed
                outcome = Importer(options).article_import(parsed)
                if outcome.action != "created":
                    raise RuntimeError(f"seed {item['file']}: {outcome}")

        site = Site.objects.get(pk=settings.SITE_ID)
        pages = [("Who we are", f"<p>{escape(site_info.about)}</p>")]
        pages += [(title, PLACEHOLDER.format(title=title)) for title in site_info.legal_pages]
        for title, content in pages:
            flatpage = FlatPage.objects.create(
                url=f"/{slugify(title)}/", title=title, content=content
            )
            flatpage.sites.add(site)

        # Timestamps are facts of the documents, not of the build: the newest publication.
        epoch = Article.objects.latest("published_at").published_at
        for model in (Category, Author, Source, Translation):
            model.objects.update(created_at=epoch, updated_at=epoch)
        for article in Article.objects.all():
            Article.objects.filter(pk=article.pk).update(
                created_at=article.published_at, updated_at=article.published_at
            )
        SiteIdentity.objects.update(updated_at=epoch)

    return {
        "site.json": _serialise([SiteIdentity.objects.get(pk=identity.pk)])[:-2]
        + ",\n"
        + _serialise(FlatPage.objects.order_by("pk"), natural=False)[2:],
        "categories.json": _serialise(
            Category.objects.order_by("parent_id", "menu_order")  # parents first
        ),
        "people.json": _serialise(
            [*Author.objects.order_by("slug"), *Source.objects.order_by("slug")]
        ),
        "articles.json": _serialise(
            [
                *Tag.objects.order_by("slug"),
                *Article.objects.order_by("published_at"),
                *Translation.objects.order_by("article__published_at"),
                *TaggedArticle.objects.order_by("pk"),
                *Byline.objects.order_by("article__published_at", "position"),
            ]
        ),
    }


def _serialise(objects, natural=True):
    data = json.loads(
        serializers.serialize(
            "json", objects, use_natural_foreign_keys=natural, use_natural_primary_keys=natural
        )
    )
    for row in data:
        # Derived by the database (PostgreSQL's trigger); never a fixture's business.
        row["fields"].pop("search_vector", None)
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
