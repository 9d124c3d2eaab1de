"""Small helpers for the public templates: article cards, absolute addresses, srcset, page
links."""

import hashlib

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from pagecache.fragments import by_content, structural, versioned
from pagecache.keys import page_parameters

from ..search import snippet_html

register = template.Library()


CARD_TEMPLATE = "articles/_article_card.html"
COMPACT_TEMPLATE = "articles/_compact_list.html"
# Where a search result's card shows its snippet (a comment no escaped text can contain).
SNIPPET_SLOT = mark_safe("<!--snippet-->")  # noqa: S308 # a constant  # nosec B308, B703
CARD_OPTIONS = ("class", "level", "show_image", "eager", "hide_category", "show_standfirst",
                "show_byline", "sizes")  # fmt: skip


@register.simple_tag(takes_context=True)
def card(context, article, **options):
    """*article*'s card: `articles/_article_card.html` with *options* (`CARD_OPTIONS`).

    While an anonymous page renders, the card is kept in the process's memory under the page
    cache's content version (`pagecache.fragments.versioned`), so every page rendered under
    that version shows it without rendering it again; a search result's card is that card
    with the reader's snippet in its slot. Signed-in users' pages render every card. A card
    with its byline takes it from the view's `bylines` (articles.bylines.Bylines), which
    reads every card's at once when one asks.
    """
    unknown = set(options) - set(CARD_OPTIONS)
    if unknown:
        raise template.TemplateSyntaxError(f"card: unknown option {', '.join(sorted(unknown))}")
    values = {name: options.get(name) for name in CARD_OPTIONS}
    # A search result's card is the article's card with a slot for the reader's snippet: the
    # card is kept as any other, the snippet (the reader's words) fills the slot afterwards.
    values["snippet_slot"] = SNIPPET_SLOT if article.headline else ""

    def render():
        card_template = context.template.engine.get_template(CARD_TEMPLATE)
        authors = context["bylines"].of(article) if values["show_byline"] else ()
        with context.push(article=article, authors=authors, **values):
            return card_template.render(context)

    layout = hashlib.md5(repr(values).encode(), usedforsecurity=False).hexdigest()
    request = context["request"]

    def kept():
        # Under a new content version, a card whose inputs are unchanged is the one it was:
        # after a publication the home page renders one new card, not fifty (issue 21).
        return by_content(request, "card", _card_inputs(context, article, values), render)

    html = versioned(request, f"card:{article.pk}:{layout}", kept)
    if not article.headline:
        return html
    return mark_safe(html.replace(SNIPPET_SLOT, snippet_html(article.headline), 1))  # noqa: S308 # both parts are escaped HTML  # nosec B308, B703


def _card_inputs(context, article, values):
    """Everything `articles/_article_card.html` shows of *article* with *values*: its
    fields, its category's name and address, its byline's names, and today's date (a card
    says "Today, 14:05" only on that day)."""
    authors = context["bylines"].of(article) if values["show_byline"] else ()
    category = article.category
    return (
        values,
        article.pk, article.get_absolute_url(), article.title, article.standfirst,
        article.published_at, article.reading_minutes, str(article.featured_image),
        article.image_renditions, article.image_width, article.image_height,
        category.name, category.get_absolute_url(),
        [author.name for author in authors],
        timezone.localdate(),
    )  # fmt: skip


def _chrome(context, template_name, key):
    """*template_name* rendered with *context*; kept as *key* under the structure version
    while an anonymous page renders (`pagecache.fragments.structural`: what it shows is the
    menu, the site's identity and its static pages, and the day's date), when *key* is given."""

    def render():
        # In a context layer of its own, as {% include %} does: its {% now … as year %}
        # must not replace the page's own variables.
        with context.push():
            return context.template.engine.get_template(template_name).render(context)

    request = context.get("request")
    if key is None or request is None:
        return render()
    return structural(request, f"{key}:{timezone.localdate().isoformat()}", render)


@register.simple_tag(takes_context=True)
def site_header(context):
    """The header (`includes/_header.html`): the date, the brand, the search form and both
    menus. Rendered once per structure version and day for each page its menus mark as the
    current one (home and the menu's categories) and once for every other page (issue 21: a
    quarter of an uncached article's rendering, and made again by every publication before);
    a search page's form shows the words, so it is made anew."""
    request = context.get("request")
    if request is None or context.get("query"):
        return _chrome(context, "includes/_header.html", None)
    marked = {"/"}
    for category in context.get("menu_categories") or ():
        marked.add(category.get_absolute_url())
        marked.update(child.get_absolute_url() for child in category.submenu)
    current = request.path if request.path in marked else ""
    return _chrome(context, "includes/_header.html", f"chrome:header:{current}")


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer (`includes/_footer.html`) and the cookie notice: the same on every page,
    rendered once per structure version and day."""
    return _chrome(context, "includes/_footer.html", "chrome:footer")


@register.simple_tag(takes_context=True)
def compact_list(context, articles, ranked=False):
    """`articles/_compact_list.html` of *articles* (titles, sections, dates: nothing a
    reader's words change), kept under the content version by the articles it lists: the
    "New articles" sidebar of every article page is one render per version (issue 21)."""
    articles = list(articles)
    key = f"compact:{int(bool(ranked))}:{','.join(str(a.pk) for a in articles)}"

    def render():
        with context.push(articles=articles, ranked=ranked):
            return context.template.engine.get_template(COMPACT_TEMPLATE).render(context)

    request = context.get("request")
    return render() if request is None else versioned(request, key, render)


@register.simple_tag(takes_context=True)
def site_head_links(context):
    """The links of every page's head (icons, manifest, the site's feeds, the stylesheet and
    the script), rendered once per structure version and day."""
    return _chrome(context, "includes/_head_links.html", "chrome:head")


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
    (only those that make the page: never tracking ones or junk, pagecache.keys)."""
    params = dict(page_parameters(context["request"]))
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
def when(value, date_format="M j, Y"):
    """When an article appeared, as a news site says it: the time of day for today's pieces
    ("Today, 14:05", the newsroom's time zone), the date for older ones. Pages that say
    "Today" are renewed at midnight (the page cache's content version ends there)."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if local.date() == timezone.localdate():
        return f"Today, {local:%H:%M}"
    return formats.date_format(local, date_format)


@register.filter
def day_url(value):
    """The address of the digest of *value*'s day (the newsroom's calendar)."""
    day = timezone.localtime(value).date()
    return reverse("articles:archive_day", args=[day.year, day.month, day.day])


@register.filter
def iso(value):
    """A date-time as HTML's `datetime` attribute wants it: ISO 8601, whole seconds."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
