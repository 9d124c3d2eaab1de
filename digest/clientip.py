"""The address of the client behind the configured proxies (issue 16).

Each proxy in front of the app appends the address it received the request from to
``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``), and the last one's own address is
``REMOTE_ADDR``. So with *n* proxies (``AXES_PROXY_COUNT``), the client is the *n*-th address
from the right of ``X-Forwarded-For`` + ``REMOTE_ADDR``: everything left of it was written by
the client itself and may be forged. With no proxy configured the header is never read.

django-ipware is not used for this: its ``proxy_count`` assumes the proxies' own addresses in
the header, and when the header is longer than that (a client that sent its own) it returns
the left-most entry, the forged one (tests/test_visitor_is_locked_out_after_failed_sign_ins.py
shows the attack it has to stop).
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip().strip("[]")))
    except ValueError:
        return None


def proxy_count():
    return int(getattr(settings, "DIGEST_PROXY_COUNT", 0) or 0)


def client_ip(request):
    """The client's address for *request* (`AXES_CLIENT_IP_CALLABLE`, the request log)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = proxy_count()
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part for part in (p.strip() for p in forwarded.split(",")) if part] + [remote]
    if len(chain) <= count:
        # Fewer hops than proxies: the request did not come through all of them (a probe
        # straight to gunicorn); the header, if any, is the sender's own.
        return remote
    return _valid(chain[-(count + 1)]) or remote
