"""Error views that work without the database."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def database_unavailable():
    """The friendly 503: rendered without a request, so no context processor touches the DB."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.DIGEST_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(message):
    """A 400 that says what was wrong, rendered without a request or the database."""
    response = HttpResponseBadRequest(
        loader.render_to_string("400.html", {"message": message}), content_type="text/html"
    )
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request):
    """handler500: a 503 when the database is the cause, else the static 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        return database_unavailable()
    return HttpResponseServerError(loader.render_to_string("500.html"))


def error_page(request, status):
    """The site's own 404 and 500 pages at /404/ and /500/ while ``DEBUG`` is on (Django shows
    its debug page for a real error then); a plain 404 otherwise."""
    if not settings.DEBUG or status not in (404, 500):
        raise Http404("No such page")
    if status == 500:
        return HttpResponseServerError(loader.render_to_string("500.html"))
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))
