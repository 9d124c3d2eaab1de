"""The newsroom's tasks (Django's Tasks framework): each a thin shell over a service."""

from django.tasks import task


@task()
def article_notify(article_id, event, actor_id=None):
    """Tell whoever a desk step concerns (services.article_notify_send)."""
    from django.contrib.auth import get_user_model

    from . import services
    from .models import Article

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return []
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return services.article_notify_send(article=article, event=event, actor=actor)
