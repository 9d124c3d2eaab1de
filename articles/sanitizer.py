"""The one HTML sanitiser: every body from the admin, the importer or the fixtures goes
through `sanitize_html` in the service that saves it."""

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub",
    "sup", "a", "ul", "ol", "li", "blockquote", "q", "cite", "code", "pre", "figure",
    "figcaption", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "abbr", "span", "mark", "small", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    # data-file: the body image's row in the library (issue 19, the editor's figure picker).
    "img": {"src", "alt", "title", "width", "height", "data-file"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "*": {"lang", "dir"},
}
# No javascript:, data:, vbscript: or other schemes; relative links are kept.
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(html):
    """Return *html* with only safe tags, attributes and URLs; links get rel="noopener"."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "svg"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
