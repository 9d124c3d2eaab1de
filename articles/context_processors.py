from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.utils.functional import SimpleLazyObject

from .cache import versioned
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


def site_menu(request):
    """`menu_tree()`, kept with the content version of an anonymous page (articles/cache.py)."""
    return versioned(request, "menu", menu_tree)


def static_pages():
    return list(
        FlatPage.objects.filter(sites=settings.SITE_ID, registration_required=False)
        .only("url", "title")
        .order_by("url")
    )


def site(request):
    """The site's identity, menu and static pages for every page.

    Each costs one query (two for the identity and its links), and only when a template
    uses it; an anonymous page reads them from the process's memory when another page rendered
    under the same content version read them first (articles/cache.py).
    """
    return {
        "site_identity": SimpleLazyObject(lambda: SiteIdentity.for_request(request)),
        "menu_categories": SimpleLazyObject(lambda: site_menu(request)),
        "static_pages": SimpleLazyObject(lambda: versioned(request, "static-pages", static_pages)),
        "privacy_url": settings.DIGEST_PRIVACY_URL,
        "terms_url": settings.DIGEST_TERMS_URL,
        "about_url": settings.DIGEST_ABOUT_URL,
    }
