"""Probes for load balancers and compose: /healthz (the process answers) and /readyz (it can
serve). Both bypass host checks and sessions (HealthCheckMiddleware).

Ready means "can serve pages": the database answers. A cache that does not answer only makes
pages cost a render (each process keeps serving what it holds in memory), so it is reported
in the body as "degraded" with a 200: a Redis outage must not take every server out of the
load balancer's rotation at once (issue 16)."""

import json

from django.core.cache import cache
from django.db import connections


def _json(payload, status):
    from django.http import HttpResponse

    response = HttpResponse(json.dumps(payload), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def healthz():
    return _json({"status": "ok"}, 200)


def readyz():
    checks = {}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 — any failure means "not ready"
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        ping = getattr(cache, "ping", None)
        if ping is not None:
            ping()
        else:
            cache.set("readyz", "1", 5)
        checks["cache"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc.__class__.__name__}"
    if checks["database"] != "ok":
        return _json({"status": "unavailable", **checks}, 503)
    return _json({"status": "ok" if checks["cache"] == "ok" else "degraded", **checks}, 200)
