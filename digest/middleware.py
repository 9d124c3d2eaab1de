"""Operational middleware: health probes, extra security headers, request log, database faults,
replica pinning. Their order is documented in settings (the "Production" section)."""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http.multipartparser import MultiPartParserError

from . import clientip, db_routers, health
from .views import bad_request, database_unavailable

log = logging.getLogger("digest.request")
fault_log = logging.getLogger("digest.faults")

# Errors that mean "the database is not reachable", not "the query is wrong".
DATABASE_DOWN = (OperationalError, InterfaceError)


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before host validation, SSL redirect and sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return health.healthz()
        if request.path == "/readyz":
            return health.readyz()
        return self.get_response(request)


class BadInputMiddleware:
    """A NUL byte anywhere in the address or a submitted form is a 400 (issue 16).

    No page needs one, and PostgreSQL refuses it in any text ("A string literal cannot contain
    NUL characters"), which made a 500 of ``/search/?q=%00`` and of admin filters. Refused
    here once, before any view, rather than in every form and filter.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return bad_request(
                "The address or the form contains a character that is not allowed "
                "(a NUL byte). Nothing was saved."
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if "\x00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                data = request.POST  # too big, too many fields: Django's own 400
            except MultiPartParserError:  # a malformed body: the view's form says so
                return False
            return any("\x00" in key or "\x00" in value for key, value in data.items())
        return False


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy and Cross-Origin-Resource-Policy;
    and the admin's CSP variant (inline styles allowed there, never inline scripts)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.DIGEST_PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path.startswith(self.admin_prefix) and not hasattr(response, "_csp_config"):
            # Read by ContentSecurityPolicyMiddleware, which wraps this one.
            response._csp_config = settings.DIGEST_ADMIN_CSP
        return response


class RequestLogMiddleware:
    """One structured log line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "remote_addr": clientip.client_ip(request),
            },
        )
        return response


class DatabaseUnavailableMiddleware:
    """A view (or template) that cannot reach the database answers a friendly 503 with
    Retry-After. Errors raised outside views reach handler500, which does the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN) or (
            isinstance(exception, DatabaseError) and isinstance(exception.__cause__, DATABASE_DOWN)
        ):
            fault_log.warning("database unavailable: %s", exception)
            return database_unavailable()
        return None


class ReplicaPinMiddleware:
    """Requests that write (unsafe methods) or belong to a signed-in user read from the primary,
    so nobody misses their own change to replication lag."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pinned = request.method not in ("GET", "HEAD", "OPTIONS") or (
            settings.SESSION_COOKIE_NAME in request.COOKIES
        )
        token = db_routers.start_request(pinned=pinned)
        try:
            return self.get_response(request)
        finally:
            db_routers.end_request(token)
