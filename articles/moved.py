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

import re
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control

from pagecache import conf as pagecache_conf

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
    model = address.content_type.model_class()
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


def old_address_find(path: str) -> tuple[bool, str | None]:
    """Whether the old *path* (with its query, if any) is a known old address, and its new
    address (None when what it leads to is hidden from readers or gone)."""
    key = address_key(path)
    if len(key) > 500:
        return False, None
    address = OldAddress.objects.filter(path=key).select_related("content_type").first()
    if address is None:
        return False, None
    target = target_path(address)
    if target is None or address_key(target) == key:
        return True, None
    return True, target


def old_address_lookup(path: str) -> str | None:
    """The new address of the old *path* (with its query, if any), or None."""
    return old_address_find(path)[1]


# WordPress's own address shapes that need no row: date archives and page N of any list.
DATE_ARCHIVE = re.compile(r"^/(\d{4})(?:/(\d{2}))?(?:/(\d{2}))?/?$")
PAGED = re.compile(r"^(.*?)/page/(\d+)/?$")


def _answered_by_others(path: str) -> bool:
    """Whether an editor's redirect (contrib's redirects) or a static page (flat pages) is at
    *path*: those answer after this middleware, and win."""
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.redirects.models import Redirect

    redirects = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=path).values("pk")
    pages = FlatPage.objects.filter(url=path, sites=settings.SITE_ID).values("pk")
    return redirects.union(pages).exists()  # one statement for both


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
            looked, target = True, old_address_lookup(request.path)
            if target is not None and not _answered_by_others(request.path):
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
