"""Old addresses of a site moved into Digest answer a permanent redirect (issue 17).

`OldAddress` rows map a path of the old site to a Digest object; the redirect goes to the
object's *current* address (so an article moved or renamed since still gets one hop), and
only to something a reader may see (a draft's old address stays a 404).

Two middlewares, both cheap when there is nothing to do:

- `OldAddressFallbackMiddleware` (after the page cache, beside contrib's redirects): a 404
  is looked up by its path, one indexed query. The 301 then passes back through the page
  cache, which gives it the headers of every redirect (kept by shared caches, not browsers).
- `OldQueryAddressMiddleware` (before the page cache): WordPress's query addresses
  (``/?p=123``, ``/?page_id=7``, ``/?cat=3``) ask for the home page, which answers 200 and
  is cached without its query; so these are looked up first, and only when the query has
  one of those parameters.
"""

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from pagecache import conf as pagecache_conf

from .links import slug_path
from .models import Article, Author, Category, OldAddress, Tag

# What an article's address and visibility need (`Article.get_absolute_url`, `is_public`).
ADDRESS_FIELDS = ("id", "slug", "status", "published_at", "category", "category__slug")
QUERY_KEYS = ("p", "page_id", "cat", "tag", "author", "attachment_id", "feed")
FEEDS = {Category: "category", Author: "author", Tag: "tag"}


def address_key(path: str) -> str:
    """The form an old path is stored and looked up in: no trailing slash, "/" for the root,
    an address's query kept as WordPress wrote it."""
    path, _, query = path.partition("?")
    query = unquote(query)
    path = "/" + path.strip("/")
    if len(path) > 1:
        path = path.rstrip("/")
    return f"{path}?{query}" if query else path


def target_path(address: OldAddress) -> str | None:
    """Where *address* leads now, or None (its object is gone or hidden from readers)."""
    if address.content_type_id is None:
        return address.new_path or None
    model = ContentType.objects.get_for_id(address.content_type_id).model_class()
    if model is None:
        return None
    rows = model._default_manager.filter(pk=address.object_id)
    if model is Article:
        # Its address (which names the category) and whether readers may see it: never its
        # body, read and thrown away for every old permalink.
        rows = rows.select_related("category").only(*ADDRESS_FIELDS)
    obj = rows.first()
    if obj is None:
        return None
    if isinstance(obj, Article) and not obj.is_public:
        return None
    if address.view == "feed":
        kind = FEEDS.get(type(obj))
        if kind is None:
            return reverse("articles:feed_rss")
        return reverse(f"articles:feed_{kind}_rss", kwargs={"slug": obj.slug})
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    return getattr(obj, "url", None)


@dataclass
class Found:
    """What an old path is now: *known* (a row has it), *target* (its new address, None when
    what it leads to is hidden or gone) and *others* (an editor's redirect or a static page
    is at the same path: those win)."""

    known: bool
    target: str | None = None
    others: bool = False


@functools.cache
def _find_sql() -> str:
    """One statement for an old permalink: its row, the article it leads to (its address and
    whether readers may see it, never its body) and whether a redirect or a static page is at
    the path. Plain SQL, not the ORM: compiling three querysets was most of a redirect's time."""
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.redirects.models import Redirect

    q = connection.ops.quote_name
    tables = {
        "address": OldAddress._meta.db_table, "article": Article._meta.db_table,
        "category": Category._meta.db_table, "redirect": Redirect._meta.db_table,
        "page": FlatPage._meta.db_table, "page_sites": FlatPage.sites.through._meta.db_table,
    }  # fmt: skip
    t = {name: q(table) for name, table in tables.items()}
    # Only table names (quoted) go into the text; every value is a parameter.
    return (
        "SELECT o.content_type_id, o.object_id, o.view, o.new_path, a.id, a.slug, c.slug, "  # noqa: S608  # nosec B608
        "CASE WHEN a.status = %s AND a.published_at IS NOT NULL AND a.published_at <= %s "
        "THEN 1 ELSE 0 END, "
        f"EXISTS (SELECT 1 FROM {t['redirect']} r WHERE r.site_id = %s AND r.old_path = %s) "
        f"OR EXISTS (SELECT 1 FROM {t['page']} f JOIN {t['page_sites']} s "
        "ON s.flatpage_id = f.id WHERE f.url = %s AND s.site_id = %s) "
        f"FROM {t['address']} o LEFT JOIN {t['article']} a "
        "ON o.content_type_id = %s AND a.id = o.object_id "
        f"LEFT JOIN {t['category']} c ON c.id = a.category_id WHERE o.path = %s"
    )


def old_address_resolve(path: str, *, request_path: str = "") -> Found:
    """`Found` for the old *path* (with its query, if any); *request_path* is the path as
    asked, for the redirect and static-page check (its default: *path*)."""
    key = address_key(path)
    if len(key) > 500:
        return Found(known=False)
    article_type = ContentType.objects.get_for_model(Article).pk
    asked = request_path or path
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    site = settings.SITE_ID
    with connection.cursor() as cursor:
        cursor.execute(
            _find_sql(),
            [Article.Status.PUBLISHED, now, site, asked, asked, site, article_type, key],
        )
        row = cursor.fetchone()
    if row is None:
        return Found(known=False)
    type_id, object_id, view, new_path, article_id, slug, category_slug, public, others = row
    if type_id == article_type and view != "feed":
        if article_id is None or not public:
            return Found(known=True, others=bool(others))
        target = slug_path("articles:detail", category=category_slug, slug=slug)
    else:
        address = OldAddress(
            path=key, content_type_id=type_id, object_id=object_id, view=view, new_path=new_path
        )
        target = target_path(address)
    if target is None or address_key(target) == key:
        return Found(known=True, others=bool(others))
    return Found(known=True, target=target, others=bool(others))


def old_address_find(path: str) -> tuple[bool, str | None]:
    """Whether the old *path* (with its query, if any) is a known old address, and its new
    address (None when what it leads to is hidden from readers or gone)."""
    found = old_address_resolve(path)
    return found.known, found.target


def old_address_lookup(path: str) -> str | None:
    """The new address of the old *path* (with its query, if any), or None."""
    return old_address_find(path)[1]


# WordPress's own address shapes that need no row: date archives and page N of any list.
DATE_ARCHIVE = re.compile(r"^/(\d{4})(?:/(\d{2}))?(?:/(\d{2}))?/?$")
PAGED = re.compile(r"^(.*?)/page/(\d+)/?$")


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def wordpress_shape_lookup(path: str) -> str | None:
    """The Digest address of a WordPress date archive (/2024/01/15/) or of page N of a list
    (/category/news/page/2/ → /category/news/?page=2), or None."""
    if match := DATE_ARCHIVE.match(path):
        year, month, day = match.groups()
        if day:
            return reverse("articles:archive_day", args=[int(year), int(month), int(day)])
        if month:
            return reverse("articles:archive_month", args=[int(year), int(month)])
        return reverse("articles:archive_year", args=[int(year)])
    if match := PAGED.match(path):
        prefix, page = match[1] or "/", match[2]
        target = old_address_lookup(prefix)
        if target is None:
            prefix = prefix if prefix.endswith("/") else prefix + "/"
            target = prefix if _resolves(prefix) else None
        if target is not None:
            return f"{target}?{urlencode({'page': page})}"
    return None


class OldAddressFallbackMiddleware:
    """After the page cache, before contrib's redirects and flat pages (which it lets go
    first: an editor's redirect or a page at that address wins)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        looked = False
        if request.method in ("GET", "HEAD") and not _resolves(request.path_info):
            # Nothing in the URL configuration answers it: look it up before a 404 page is
            # rendered (the usual case of an old permalink, /2024/01/15/slug/).
            found = old_address_resolve(request.path)
            looked, target = True, found.target
            if target is not None and not found.others:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = None if looked else old_address_lookup(request.path)
        target = target or wordpress_shape_lookup(request.path)
        if target is None:
            return response
        return HttpResponsePermanentRedirect(target)


class OldQueryAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.GET and request.path == "/" and request.method in ("GET", "HEAD"):
            target = None
            if search := request.GET.get("s"):  # WordPress's search
                target = f"{reverse('articles:search')}?{urlencode({'q': search})}"
            for name in QUERY_KEYS:
                value = request.GET.get(name)
                if value and target is None:
                    known, target = old_address_find(f"/?{name}={value}")
                    if known and target is None:
                        # WordPress's answer for a draft, a future or a deleted post
                        raise Http404("That post is not published.")
                    break
            if target is not None:
                response = HttpResponsePermanentRedirect(target)
                # As the page cache marks redirects: shared caches keep it, browsers not.
                max_age = pagecache_conf.get("PAGECACHE_MAX_AGE")
                patch_cache_control(response, public=True, max_age=0, s_maxage=max_age)
                return response
        return self.get_response(request)
