"""Signed, expiring links to an article that is not public yet.

An editor sends the link to someone without an account (a translator, the interviewee); it
shows the real article page for `settings.DIGEST_PREVIEW_MAX_AGE` seconds. A tampered, expired
or revoked link is a 404 (publishing or unpublishing revokes every earlier link, and so does
the admin's "Revoke preview links" action: issue 16), and a preview is never cached nor
indexed.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .models import Article

SALT = "articles.preview"


def _signer():
    return signing.TimestampSigner(salt=SALT)


def preview_token(article):
    # The article's preview key is part of what is signed: a new key (on publishing,
    # unpublishing, or the admin's "revoke" action) makes every earlier link invalid.
    value = f"{article.pk}:{article.preview_key}" if article.preview_key else str(article.pk)
    return _signer().sign(value)


def preview_url(article):
    return reverse("articles:preview", kwargs={"token": preview_token(article)})


def article_from_token(token, *, max_age=None):
    """The article a valid *token* names; `Http404` when it is tampered with or expired."""
    max_age = settings.DIGEST_PREVIEW_MAX_AGE if max_age is None else max_age
    try:
        pk, _, key = _signer().unsign(token, max_age=max_age).partition(":")
        pk = int(pk)
    except (signing.BadSignature, ValueError) as exc:
        raise Http404("This preview link is invalid or has expired.") from exc
    article = get_object_or_404(
        Article.objects.select_related(
            "category__parent",
            "translation__source",
            "translation__original_author",
            "translation__translator",
        ).prefetch_related("authors", "tags"),
        pk=pk,
    )
    if key != article.preview_key:
        raise Http404("This preview link was revoked.")
    return article


def preview(request, token):
    """The article page as readers will see it, for whoever holds the link."""
    from . import views

    article = article_from_token(token)
    response = views.render_article(request, article, preview=True)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
