"""Small helpers for the public templates: absolute addresses, srcset, page links."""

from django import template
from django.utils import timezone
from django.utils.http import urlencode

from articles.links import meaningful_parameters

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
    """A link to page *number* of the current list, keeping the other query parameters
    (never the tracking ones: articles/links.py)."""
    params = dict(meaningful_parameters(context["request"].GET))
    if number == 1:
        params.pop("page", None)
    else:
        params["page"] = number
    return f"?{urlencode(sorted(params.items()))}" if params else context["request"].path


@register.filter
def srcset(article):
    """`srcset` from `Article.image_renditions` ({"480": "articles/.../x-480.webp", ...})."""
    return article.image_srcset if article.image_renditions else ""


@register.filter
def rendition(article, width):
    """The URL of the rendition nearest *width* pixels wide, else the original image."""
    return article.image_url(width)


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None: for dicts keyed by id in templates."""
    return mapping.get(key) if mapping else None


@register.filter
def iso(value):
    """A date-time as HTML's `datetime` attribute wants it: ISO 8601, whole seconds."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
