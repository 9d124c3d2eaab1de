from .models import Category, SiteIdentity


def site(request):
    """The site's identity and menu for every page (two queries, evaluated lazily)."""
    return {
        "site_identity": SiteIdentity.current,
        "menu_categories": Category.objects.in_menu().top_level().prefetch_related("children"),
    }
