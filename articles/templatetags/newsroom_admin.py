"""Admin template tags for the newsroom."""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db.models import Max, Min
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def article_date_hierarchy(cl):
    """Django's date drill-down, with the top level (years) read from the first and last
    publication times instead of a DISTINCT over every row (slow at 100,000 articles)."""
    field = cl.date_hierarchy
    if any(key.startswith(f"{field}__") for key in cl.params):
        return date_hierarchy(cl)
    bounds = cl.model._default_manager.aggregate(first=Min(field), last=Max(field))
    if not bounds["first"]:
        return {"show": False}
    first, last = (timezone.localtime(bounds[k]).year for k in ("first", "last"))
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string({f"{field}__year": str(year)}, [f"{field}__"]),
                "title": str(year),
            }
            for year in range(first, last + 1)
        ],
        "field_name": cl.model._meta.get_field(field).verbose_name,
    }


@register.inclusion_tag("admin/articles/_waiting_for_review.html", takes_context=True)
def desk_waiting_for_review(context):
    """Issue 19: how many pieces wait for an editor's review (one count), for editors."""
    from django.urls import reverse

    from articles.models import Article
    from articles.services import article_can_publish

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not article_can_publish(user):
        return {"show": False}
    waiting = Article.objects.filter(status=Article.Status.REVIEW).count()
    return {
        "show": True,
        "waiting": waiting,
        "url": reverse("admin:articles_article_changelist") + "?status__exact=review",
    }
