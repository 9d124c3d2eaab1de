"""Tags, and the JSON view the article form's tag autocomplete asks."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Q, Value, When
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .. import services
from ..models import Tag
from ..text import slugify
from .mixins import SummarisedDeleteMixin


@admin.register(Tag)
class TagAdmin(SummarisedDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "articles_link"]
    search_fields = ["name", "slug"]

    AUTOCOMPLETE_PAGE = 20

    @admin.display(description="articles")
    def articles_link(self, obj):
        url = reverse("admin:articles_article_changelist")
        return format_html('<a href="{}?tag={}">Articles with this tag</a>', url, obj.slug)

    def delete_model(self, request, obj):
        services.tag_delete(tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            services.tag_delete(tag=tag)

    def get_urls(self):
        return [
            path(
                "autocomplete/",
                self.admin_site.admin_view(self.autocomplete_names_view),
                name="articles_tag_autocomplete",
            ),
            *super().get_urls(),
        ]

    def autocomplete_names_view(self, request):
        """Tag names for the article form's tag field (Select2's JSON): names containing
        the term, or whose slug contains its transliteration ("erdog" finds "Erdoğan"),
        those starting with it first. Whoever may see tags may ask (translators too)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = " ".join(request.GET.get("term", "").split())
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        tags = Tag.objects.all()
        if term:
            slug = slugify(term)
            matches = Q(name__icontains=term) | (Q(slug__contains=slug) if slug else Q())
            starts = Q(name__istartswith=term) | (Q(slug__startswith=slug) if slug else Q())
            tags = tags.filter(matches).annotate(
                rank=Case(When(starts, then=Value(0)), default=Value(1))
            )
            tags = tags.order_by("rank", "name")
        start = (page - 1) * self.AUTOCOMPLETE_PAGE
        names = list(
            tags.values_list("name", flat=True)[start : start + self.AUTOCOMPLETE_PAGE + 1]
        )
        return JsonResponse(
            {
                "results": [{"id": name, "text": name} for name in names[: self.AUTOCOMPLETE_PAGE]],
                "pagination": {"more": len(names) > self.AUTOCOMPLETE_PAGE},
            }
        )
