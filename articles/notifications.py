"""Review notifications (issue 19): who a desk step concerns, the e-mail they get, and the task
that sends it through Django's task framework (enqueued by `services.article_notify_later`
once the save is committed)."""

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from .models import Article

# What each step tells whom: submitted → the editors; published, sent back → the author.
NOTIFY_EDITORS = {"submitted"}
NOTIFY_AUTHOR = {"published", "scheduled", "sent_back"}


@task()
def article_notify(article_id, event, actor_id=None):
    """Tell whoever a desk step concerns (`article_notify_send`)."""
    from django.contrib.auth import get_user_model

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return []
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return article_notify_send(article=article, event=event, actor=actor)


def article_notify_recipients(*, article, event, actor=None):
    """The addresses a desk *event* on *article* goes to: every active editor for a piece
    submitted for review; its author (who started it and whoever writes under its byline) for
    one published, scheduled or sent back. Never the one who did it."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if event in NOTIFY_EDITORS:
        users = users.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="publish_article")
            | Q(user_permissions__codename="publish_article")
        )
    elif event in NOTIFY_AUTHOR:
        users = users.filter(Q(pk=article.created_by_id) | Q(author_profile__articles=article))
    else:
        return []
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return sorted(set(users.values_list("email", flat=True)))


def article_notify_send(*, article, event, actor=None):
    """Send the e-mail of a desk *event* (the task's work). Returns the recipients."""
    from django.conf import settings
    from django.core import mail
    from django.urls import reverse

    recipients = article_notify_recipients(article=article, event=event, actor=actor)
    if not recipients:
        return []
    who = (actor.get_full_name() or actor.get_username()) if actor is not None else "Someone"
    subjects = {
        "submitted": f"Waiting for review: {article.title}",
        "published": f"Published: {article.title}",
        "scheduled": f"Scheduled: {article.title}",
        "sent_back": f"Sent back to draft: {article.title}",
    }
    lines = {
        "submitted": f"{who} submitted “{article.title}” for review.",
        "published": f"{who} published “{article.title}”: readers see it now.",
        "scheduled": f"{who} scheduled “{article.title}”; it appears by itself at "
        f"{timezone.localtime(article.published_at):%Y-%m-%d %H:%M} ({settings.TIME_ZONE}).",
        "sent_back": f"{who} sent “{article.title}” back to draft for more work.",
    }
    path = reverse("admin:articles_article_change", args=[article.pk])
    base = getattr(settings, "DIGEST_ADMIN_BASE_URL", "") or ""
    mail.send_mail(
        subjects[event],
        f"{lines[event]}\n\nOpen it in the newsroom: {base}{path}\n",
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
    return recipients
