"""The project's own `manage.py check` rules (issue 16)."""

from django.conf import settings
from django.core import checks
from django.test import RequestFactory

# Documentation addresses (RFC 5737): what a check's synthetic request comes from.
_CLIENT, _FORGED, _PROXY = "203.0.113.10", "192.0.2.66", "198.51.100.1"


def _sign_in_address(proxies, forwarded):
    """The address django-axes counts a sign-in failure against, for a request that came
    through *proxies* hops with *forwarded* in X-Forwarded-For."""
    from axes.helpers import get_client_ip_address

    request = RequestFactory().post(
        "/accounts/login/", REMOTE_ADDR=_PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )
    return get_client_ip_address(request)


@checks.register(checks.Tags.security, deploy=True)
def check_client_address_behind_proxies(app_configs=None, **kwargs):
    """With proxies configured (AXES_PROXY_COUNT), sign-in throttling must see the client's
    own address, not the proxy's (one lockout for everyone) nor a forged header's (a lockout
    of anyone, from anywhere)."""
    proxies = int(getattr(settings, "DIGEST_PROXY_COUNT", 0) or 0)
    errors: list[checks.CheckMessage] = []
    if proxies < 0:
        return [checks.Error("AXES_PROXY_COUNT cannot be negative.", id="digest.E001")]
    if getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) and not proxies:
        errors.append(
            checks.Error(
                "AXES_IPWARE_PROXY_COUNT is set, but the client address is derived from "
                "AXES_PROXY_COUNT (digest/clientip.py).",
                hint="Set AXES_PROXY_COUNT to the number of proxies in front of gunicorn.",
                id="digest.E002",
            )
        )
    parameters = getattr(settings, "AXES_LOCKOUT_PARAMETERS", None) or []
    combined = [sorted(p) for p in parameters if isinstance(p, (list, tuple))]
    if ["ip_address", "username"] not in combined:
        errors.append(
            checks.Warning(
                "Sign-in lockouts do not hold a user name and an address together: failures "
                "from one address can lock a user out everywhere, or everyone out from it.",
                hint="AXES_LOCKOUT_PARAMETERS = [['username', 'ip_address']]",
                id="digest.W001",
            )
        )
    if not proxies:
        return errors
    # Each proxy but the last wrote the address it received from; the last one is REMOTE_ADDR.
    hops = [_CLIENT] + [f"198.51.100.{n}" for n in range(2, proxies + 1)]
    try:
        plain = _sign_in_address(proxies, ", ".join(hops))
        forged = _sign_in_address(proxies, ", ".join([_FORGED, *hops]))
    except Exception as error:  # noqa: BLE001 — any failure means "cannot be derived"
        plain = forged = f"an error ({error.__class__.__name__}: {error})"
    if plain != _CLIENT or forged != _CLIENT:
        errors.append(
            checks.Error(
                f"AXES_PROXY_COUNT={proxies}, but sign-in throttling cannot derive the client's "
                f"address behind the proxies: a request from {_CLIENT} through them counts as "
                f"{plain!r}, and with a forged X-Forwarded-For as {forged!r}.",
                hint="Keep AXES_CLIENT_IP_CALLABLE = 'digest.clientip.client_ip' and set "
                "AXES_PROXY_COUNT to the number of proxies that append to X-Forwarded-For.",
                id="digest.E003",
            )
        )
    return errors
