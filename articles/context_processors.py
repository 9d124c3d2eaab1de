from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import brand, chrome


def site(request):
    """The site's identity, menu and static pages for every page (`articles.chrome`), each
    read only when a template uses it."""
    return {
        "site_identity": SimpleLazyObject(lambda: chrome.site_identity(request)),
        "menu_categories": SimpleLazyObject(lambda: chrome.site_menu(request)),
        "static_pages": SimpleLazyObject(lambda: chrome.static_pages(request)),
        # The logo, icons and share picture (uploaded in the site identity, or made from it).
        "brand": SimpleLazyObject(lambda: brand.Brand(chrome.site_identity(request))),
        "privacy_url": settings.DIGEST_PRIVACY_URL,
        "terms_url": settings.DIGEST_TERMS_URL,
        "about_url": settings.DIGEST_ABOUT_URL,
    }
