"""Nobody, reader or staff, can make a 500 with what they type into an address (issue 16):
NUL bytes, overlong values, bad UTF-8 and wrong types get a 4xx (or the page, when the value
does not matter), never a server error. Every public URL pattern and every admin change list's
filters (and its search, order and page parameters) are fuzzed."""

import html
import re
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.models import Article

# Raw, already percent-encoded: what a client can put in a URL.
HOSTILE = [
    "%00",
    "a%00b",
    "%ff%fe%fd",
    "x" * 3000,
    "-1",
    "99999999999999999999999",
    "abc",
    "2024-13-45",
    "%27%22%3E%3Cscript%3E%E2%80%AE",
    "",
]
PARAMETERS = ["q", "page", "p", "o", "utm_source"]


def no_server_error(client, url, seen):
    response = client.get(url)
    seen.append((response.status_code, url[:120]))
    assert response.status_code < 500, f"{response.status_code} for {url[:300]}"
    return response


def public_patterns(resolver=None, prefix=""):
    """(route, pattern) of every public URL pattern, the admin's excluded."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(settings.ADMIN_URL) or "admin" in str(entry.app_name or ""):
                continue
            yield from public_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def fill(route, values):
    """*route* with each ``<converter:name>`` replaced by ``values(name, converter)``."""
    return "/" + re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: values(m.group(2), m.group(1) or "str"), route
    ).lstrip("^").rstrip("$")


@pytest.fixture
def hostile_client(db):
    return Client(raise_request_exception=False)


@pytest.fixture
def site(make_article, make_author):
    author = make_author(name="Leyla Mammadova")
    article = make_article(title="Caspian ferry line reopens", authors=[author], tags=["Baku"])
    return article


def good_values(article):
    def value(name, converter):
        if converter == "int":
            return {"year": "2024", "month": "2", "day": "16"}.get(name, "1")
        if name == "category":
            return article.category.slug
        if name == "section":
            return "articles"
        return article.slug

    return value


def test_every_public_url_pattern_answers_hostile_input_without_a_server_error(
    hostile_client, site
):
    seen = []
    patterns = list(public_patterns())
    assert len(patterns) > 15
    for route, _ in patterns:
        url = fill(route, good_values(site))
        for parameter in PARAMETERS:
            for value in HOSTILE:
                no_server_error(hostile_client, f"{url}?{parameter}={value}", seen)
        for value in HOSTILE:
            if value:
                no_server_error(hostile_client, fill(route, lambda n, c, v=value: v), seen)
    assert len(seen) > 500


def test_a_nul_byte_in_the_search_is_a_clear_400(hostile_client, site):
    response = hostile_client.get("/search/?q=%00")
    assert response.status_code == 400
    assert "Bad request" in response.text or "bad request" in response.text.lower()


def test_a_nul_byte_in_a_form_field_is_refused_and_nothing_is_written(hostile_client, site):
    response = hostile_client.post("/accounts/password_reset/", {"email": "reader\x00@example.com"})
    assert response.status_code == 400


def filter_parameters(client, changelist_url):
    """The parameters the change list's own filter links use, with a value each."""
    page = client.get(changelist_url).text
    sidebar = page[page.find('id="changelist-filter"') :] if "changelist-filter" in page else ""
    found = {}
    for href in re.findall(r'href="(\?[^"]*)"', sidebar):
        for name, value in parse_qsl(urlsplit(html.unescape(href)).query, keep_blank_values=True):
            found.setdefault(name, value)
    return found


def test_every_admin_change_list_answers_hostile_filters_without_a_server_error(site, admin_client):
    admin_client.raise_request_exception = False
    seen = []
    lists = 0
    for model in list(admin.site._registry):
        opts = model._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except Exception:  # noqa: BLE001, S112 — an admin without a change list
            continue
        lists += 1
        parameters = filter_parameters(admin_client, url)
        if model is Article:
            # status, category, author, provenance, source, featured, language, date, tag
            assert len(parameters) >= 8, parameters
        names = [*parameters, "q", "o", "p", "e", "all", "_popup", "_to_field"]
        for name in names:
            for value in HOSTILE:
                no_server_error(admin_client, f"{url}?{quote(name)}={value}", seen)
        # Two filters at once, one of them hostile.
        for name in parameters:
            for other, good in parameters.items():
                if other != name:
                    no_server_error(
                        admin_client, f"{url}?{quote(other)}={quote(good)}&{quote(name)}=%00", seen
                    )
                    break
    assert lists >= 8
    assert Article.objects.count() == 1


def test_hostile_autocomplete_and_object_lookups_in_the_admin_make_no_server_error(
    site, admin_client
):
    admin_client.raise_request_exception = False
    seen = []
    base = f"/{settings.ADMIN_URL}"
    for value in HOSTILE:
        for url in [
            f"{base}articles/tag/autocomplete/?term={value}&page={value}",
            f"{base}autocomplete/?app_label=articles&model_name=article&field_name=authors"
            f"&term={value}",
            f"{base}articles/article/{value}/change/",
            f"{base}articles/article/{site.pk}/history/{value}/",
            f"{base}articles/article/{site.pk}/history/{value}/compare/",
        ]:
            no_server_error(admin_client, url, seen)
