"""The article change list's bulk actions. Each needs the publish permission
(ArticleAdmin.has_publish_permission) and saves every article through its service, one
transaction an article: one that is refused is named with the reason, the rest are done."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse

from .. import services
from .forms import MoveToCategoryForm


@admin.action(description="Publish selected articles", permissions=["publish"])
def publish(modeladmin, request, queryset):
    _apply(
        modeladmin,
        request,
        queryset,
        "published",
        lambda a: services.article_publish(article=a, user=request.user),
    )


@admin.action(description="Unpublish selected articles", permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    _apply(
        modeladmin,
        request,
        queryset,
        "unpublished",
        lambda a: services.article_unpublish(article=a, user=request.user),
    )


@admin.action(description="Feature selected articles on the home page", permissions=["publish"])
def feature(modeladmin, request, queryset):
    _apply(
        modeladmin,
        request,
        queryset,
        "featured",
        lambda a: services.article_feature(article=a, user=request.user),
    )


@admin.action(description="Stop featuring selected articles", permissions=["publish"])
def unfeature(modeladmin, request, queryset):
    _apply(
        modeladmin,
        request,
        queryset,
        "unfeatured",
        lambda a: services.article_feature(article=a, featured=False, user=request.user),
    )


@admin.action(description="Move selected articles to a category…", permissions=["publish"])
def move_to_category(modeladmin, request, queryset):
    form = MoveToCategoryForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        category = form.cleaned_data["category"]
        _apply(
            modeladmin,
            request,
            queryset,
            f"moved to {category}",
            lambda a: services.article_move(article=a, category=category, user=request.user),
        )
        return None
    return TemplateResponse(
        request,
        "admin/articles/article/move_to_category.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Move articles to a category",
            "opts": modeladmin.model._meta,
            "form": form,
            "articles": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _apply(modeladmin, request, queryset, verb, change):
    done = 0
    for article in queryset:
        try:
            with transaction.atomic():
                change(article)
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(
                request,
                f"“{article}” was not {verb}: {'; '.join(_messages(exc))}",
                messages.ERROR,
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{done} article(s) {verb}.", messages.SUCCESS)


def _messages(exc):
    return getattr(exc, "messages", None) or [str(exc)]
