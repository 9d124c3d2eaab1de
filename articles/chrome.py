"""What every public page shows around its content: the site's identity, the menu and the
static pages' links. Each is read at most once per request, and an anonymous page reads it
from the process's memory when another page rendered under the same structure version read it
first (`pagecache.fragments.structural`: a publication leaves them as they were)."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage

from pagecache.fragments import structural

from .models import Category, SiteIdentity


def menu_tree():
    """Top-level menu categories, each with `.submenu` (its in-menu children) and
    `.children_ids` (all its children, in the menu or not), in one query."""
    rows = list(Category.objects.order_by("menu_order", "name"))
    top = [c for c in rows if c.parent_id is None and c.is_in_menu]
    by_id = {c.pk: c for c in top}
    for category in top:
        category.submenu = []
        category.children_ids = []
    for category in rows:
        parent = by_id.get(category.parent_id)
        if parent is not None:
            parent.children_ids.append(category.pk)
            if category.is_in_menu:
                parent.submenu.append(category)
    return top


def static_page_links():
    return list(
        FlatPage.objects.filter(sites=settings.SITE_ID, registration_required=False)
        .only("url", "title")
        .order_by("url")
    )


def _once(request, name, compute):
    attribute = f"_chrome_{name}"
    if not hasattr(request, attribute):
        setattr(request, attribute, structural(request, name, compute))
    return getattr(request, attribute)


def site_identity(request):
    """`SiteIdentity.current()` for *request*."""
    return _once(request, "site-identity", SiteIdentity.current)


def site_menu(request):
    """`menu_tree()` for *request*."""
    return _once(request, "menu", menu_tree)


def static_pages(request):
    """The static pages' links for *request*."""
    return _once(request, "static-pages", static_page_links)
