"""Small helpers for the public templates: absolute addresses, srcset, page links."""

from django import template
from django.core.files.storage import default_storage
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """*path* as an absolute URL on the host the reader asked for."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def canonical(context):
    """This page's own address: path, plus the page number after the first page."""
    request = context["request"]
    page = context.get("page_obj")
    url = request.build_absolute_uri(request.path)
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """A link to page *number* of the current list, keeping the other query parameters."""
    params = context["request"].GET.copy()
    if number == 1:
        params.pop("page", None)
    else:
        params["page"] = number
    return f"?{urlencode(sorted(params.items()))}" if params else context["request"].path


@register.filter
def srcset(article):
    """`srcset` from `Article.image_renditions` ({"480": "articles/.../x-480.webp", ...})."""
    renditions = article.image_renditions or {}
    try:
        widths = sorted(renditions, key=int)
    except ValueError:
        return ""
    return ", ".join(f"{default_storage.url(renditions[w])} {int(w)}w" for w in widths)


@register.filter
def rendition(article, width):
    """The URL of the smallest rendition at least *width* pixels wide, else the original."""
    renditions = article.image_renditions or {}
    try:
        fitting = sorted((int(w), path) for w, path in renditions.items() if int(w) >= width)
    except ValueError:
        fitting = []
    if fitting:
        return default_storage.url(fitting[0][1])
    return article.featured_image.url if article.featured_image else ""


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None: for dicts keyed by id in templates."""
    return mapping.get(key) if mapping else None
