"""Machine-readable facts about pages: canonical addresses and JSON-LD."""

import json

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from . import chrome
from .brand import Brand
from .search import plain_text
from .text import shorten

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def canonical_url(request, article):
    """The address search engines should rank for *article*.

    An editor's override wins; a reprint points at the original publication; a translation
    (and everything else) at itself.
    """
    if article.canonical_url:
        return article.canonical_url
    provenance = getattr(article, "translation", None)
    if provenance is not None and provenance.is_reprint and provenance.source_url:
        return provenance.source_url
    return request.build_absolute_uri(article.get_absolute_url())


def image_url(request, article):
    if article.featured_image:
        return request.build_absolute_uri(article.featured_image.url)
    return request.build_absolute_uri(Brand(chrome.site_identity(request)).share_image_url)


def logo_url(request):
    """The publisher's logo for search engines: the uploaded logo, else the site's icon."""
    site = Brand(chrome.site_identity(request))
    logo = site.logo
    return request.build_absolute_uri(logo["largest"] if logo else site.icon_512)


def description(article):
    """What a search result or a share says of *article*: the SEO description, else the
    standfirst, else the opening of the body, else the headline; never empty."""
    text = strip_tags(article.seo_description or article.standfirst)
    if not text.strip():
        text = shorten(plain_text(article.body), 300)
    return " ".join(text.split()) or article.title


def article_jsonld(request, article, authors, provenance, tags=()):
    """schema.org NewsArticle for *article*, as a string safe inside a <script> element."""
    identity = chrome.site_identity(request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        # Search engines show at most 110 characters: cut between words, not inside one.
        "headline": shorten(article.title, 110),
        "description": description(article),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "inLanguage": article.language,
        "articleSection": article.category.name,
        "wordCount": article.word_count,
        "image": [image_url(request, article)],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": identity.name,
            "url": request.build_absolute_uri("/"),
            "logo": {"@type": "ImageObject", "url": logo_url(request)},
        },
    }
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
        data["dateModified"] = max(article.published_at, article.updated_at).isoformat()
    if authors:
        data["author"] = [
            {
                "@type": "Organization" if a.kind == a.Kind.ORGANISATION else "Person",
                "name": a.name,
                "url": request.build_absolute_uri(a.get_absolute_url()),
            }
            for a in authors
        ]
    if provenance is not None:
        original = {"@type": "NewsArticle"}
        if provenance.original_title:
            original["headline"] = provenance.original_title
        if provenance.source_url:
            original["url"] = provenance.source_url
        if provenance.source_language:
            original["inLanguage"] = provenance.source_language
        if provenance.original_author:
            original["author"] = {"@type": "Person", "name": provenance.original_author.name}
        if provenance.source:
            original["publisher"] = {"@type": "Organization", "name": provenance.source.name}
            if provenance.source.url:
                original["publisher"]["url"] = provenance.source.url
        data["isBasedOn"] = original
        if not provenance.is_reprint:
            data["translationOfWork"] = original
            if provenance.translator:
                data["translator"] = {
                    "@type": "Person",
                    "name": provenance.translator.name,
                    "url": request.build_absolute_uri(provenance.translator.get_absolute_url()),
                }
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308  # <>& \u-escaped, cannot end the script  # nosec B308, B703
