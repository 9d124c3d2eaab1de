"""Signed links (django.core.signing): confirm a subscription, unsubscribe, preferences.

A link names the subscriber and a digest of their address, so it stops working if the row
is deleted and another takes its number. Confirmation links expire; the links in an issue
(unsubscribe, preferences) do not: mail clients keep a List-Unsubscribe URL for months.
"""

import hashlib

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
MANAGE_SALT = "newsletter.manage"


class InvalidLink(Exception):
    """The link was altered, is for another address, or has expired."""


def _digest(subscriber):
    return hashlib.sha256(subscriber.email.encode()).hexdigest()[:10]


def confirm_token(subscriber):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"s": subscriber.pk, "e": _digest(subscriber)}, compress=True
    )


def manage_token(subscriber, issue=None):
    """For unsubscribe and preferences links; *issue* records which e-mail it came from."""
    value = {"s": subscriber.pk, "e": _digest(subscriber)}
    if issue is not None:
        value["i"] = issue.pk
    return signing.Signer(salt=MANAGE_SALT).sign_object(value, compress=True)


def _subscriber(value):
    from .models import Subscriber

    if not isinstance(value, dict):
        raise InvalidLink
    subscriber = Subscriber.objects.filter(pk=value.get("s")).first()
    if subscriber is None or _digest(subscriber) != value.get("e"):
        raise InvalidLink
    return subscriber


def subscriber_from_confirm_token(token):
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(
            token, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE
        )
    except (signing.BadSignature, ValueError) as error:
        raise InvalidLink from error
    return _subscriber(value)


def subscriber_from_manage_token(token):
    """(subscriber, issue id or None)."""
    try:
        value = signing.Signer(salt=MANAGE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError) as error:
        raise InvalidLink from error
    return _subscriber(value), value.get("i")
