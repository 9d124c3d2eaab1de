"""A saved web page (``.html``): the main text and its title, author, date and site name,
extracted with trafilatura (boilerplate, menus and comments dropped), then sanitised."""

from datetime import date

import trafilatura
from lxml import html as lxml_html

from .base import ParsedArticle, ParseError

SOURCE_SUFFIXES = (" - ", " | ", " — ")


def parse_html(text, *, origin=""):
    try:
        tree = lxml_html.fromstring(text)
    except Exception as error:  # lxml raises several kinds for hopeless input
        raise ParseError(f"not an HTML page: {error}") from error
    body = trafilatura.extract(
        tree,
        output_format="html",
        include_links=True,
        include_formatting=True,
        include_tables=True,
        include_comments=False,
        favor_precision=True,
    )
    if not body:
        raise ParseError("no article text found in the page")
    meta = trafilatura.extract_metadata(tree)
    title = (meta.title or "").strip() if meta else ""
    sitename = (meta.sitename or "").strip() if meta else ""
    # "Headline - Site" in <title>: keep the headline.
    for sep in SOURCE_SUFFIXES:
        if sitename and title.endswith(sep + sitename):
            title = title[: -len(sep + sitename)].strip()
    published = None
    if meta and meta.date:
        try:
            published = date.fromisoformat(meta.date[:10])
        except ValueError:
            published = None
    authors = []
    if meta and meta.author:
        authors = [a.strip() for a in meta.author.split(";") if a.strip()]
    return ParsedArticle(
        title=title,
        body_html=_inner(body, title),
        standfirst=(meta.description or "").strip() if meta else "",
        authors=authors,
        published=published,
        source=sitename,
        source_url=(meta.url or "").strip() if meta else "",
        tags=[t.strip() for t in (meta.tags or [])] if meta else [],
        origin=origin,
    )


def _inner(fragment, title):
    """trafilatura wraps its HTML in <html><body>; keep what is inside, minus the headline."""
    tree = lxml_html.fromstring(fragment)
    node = tree.find(".//body") if tree.tag != "body" else tree
    node = node if node is not None else tree
    children = list(node)
    if children and children[0].tag in ("h1", "h2") and children[0].text_content().strip() == title:
        children = children[1:]
    return "\n".join(lxml_html.tostring(c, encoding="unicode").strip() for c in children)
