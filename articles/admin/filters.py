"""The article change list's own filters."""

from django.contrib import admin

from ..models import Tag


class TranslatedFilter(admin.SimpleListFilter):
    title = "provenance"
    parameter_name = "translated"

    def lookups(self, request, model_admin):
        return [("yes", "Translated or reprinted"), ("no", "Original to Digest")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(translation__isnull=False)
        if self.value() == "no":
            return queryset.filter(translation__isnull=True)
        return queryset


class TagFilter(admin.SimpleListFilter):
    """Articles with one tag (``?tag=<slug>``, linked from the tag list). It lists only the
    tag chosen: a list of every tag (thousands) would cost each change-list page."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        if not self.value():
            return []
        found = Tag.objects.filter(slug=self.value()).values_list("pk", "name").first()
        self.tag_id = found[0] if found else None
        # An unknown slug (an old link) is still shown, so the filter applies: no articles.
        return [(self.value(), found[1] if found else f"{self.value()} (no such tag)")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # By the tag's id (read by lookups()), not a join on its slug: PostgreSQL then knows
        # how many articles that one tag has, and reads a rare tag's links first instead of
        # walking the newest-first index of a million articles until fifty turn up (2 s ->
        # 0.05 s).
        if self.tag_id is None:
            return queryset.none()
        return queryset.filter(tagged_items__tag_id=self.tag_id)
