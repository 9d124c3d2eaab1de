"""Probes for load balancers and compose: /healthz (the process answers) and /readyz (the
database and the cache answer). Both bypass host checks and sessions (HealthCheckMiddleware)."""

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
    ok = all(value == "ok" for value in checks.values())
    return _json({"status": "ok" if ok else "unavailable", **checks}, 200 if ok else 503)
