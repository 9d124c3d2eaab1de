"""Addresses of the public pages, made without a full `reverse()` for every link.

A list page links each card two or three times (image, title, category): a hundred `reverse()`
calls a page. For URL patterns whose arguments are all slugs, the pattern is reversed once
(per URL configuration and script prefix) with markers in place of the arguments, and each link
is that text with the slugs put in. Anything that is not a plain slug goes through `reverse()`.
"""

import re
from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

# Django's `slug` path converter.
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


@lru_cache(maxsize=128)
def _template(name, arguments, prefix, resolver):
    markers = {argument: f"zz{index}digestlinkzz" for index, argument in enumerate(arguments)}
    return reverse(name, kwargs=markers), markers


def slug_path(name, **slugs):
    """`reverse(name, kwargs=slugs)` for a URL pattern made of slugs."""
    if not all(isinstance(value, str) and SLUG.match(value) for value in slugs.values()):
        return reverse(name, kwargs=slugs)
    path, markers = _template(name, tuple(slugs), get_script_prefix(), get_resolver(get_urlconf()))
    for argument, value in slugs.items():
        path = path.replace(markers[argument], value)
    return path
