"""Counting requests per key in the cache (per IP, per address), for the subscribe form."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def throttle_allows(kind, value, *, limit, seconds):
    """Count one more request for (*kind*, *value*); False once more than *limit* came
    within *seconds*. The value is hashed: no address or IP is kept in the cache in clear."""
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:24]
    key = f"newsletter:throttle:{kind}:{digest}"
    if cache.add(key, 1, seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, seconds)
        count = 1
    return count <= limit


def client_ip(request):
    """The client's address; behind proxies (AXES_PROXY_COUNT, as sign-in throttling uses)
    the one the nearest trusted proxy saw."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
