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


class AutocompleteRelatedFilter(admin.RelatedFieldListFilter):
    """A related-row filter (authors, source outlets) that lists its choices while they are
    few and turns into an autocomplete once the list is long (issue 19): a sidebar of every
    author of a million-article archive is neither readable nor cheap. The autocomplete asks
    the admin's own view (the related admin's search fields); choosing reloads the list
    filtered. Only the chosen row is read."""

    LONG = 30
    long_template = "admin/articles/autocomplete_filter.html"

    def field_choices(self, field, request, model_admin):
        related = field.related_model._default_manager.all()
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        first = list(related[: self.LONG + 1])  # one query, as the plain filter's
        self.is_long = len(first) > self.LONG
        if not self.is_long:
            return [(row.pk, str(row)) for row in first]
        self.template = self.long_template
        self.source_model = field.model._meta.model_name
        self.source_app = field.model._meta.app_label
        self.source_field = field.name
        chosen = [value for value in (self.lookup_val or []) if str(value).isdigit()]
        return [(row.pk, str(row)) for row in related.filter(pk__in=chosen)]

    def has_output(self):
        return getattr(self, "is_long", False) or super().has_output()

    def choices(self, changelist):
        if getattr(self, "is_long", False):
            self.clear_url = changelist.get_query_string(
                remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]
            )
            self.chosen = self.lookup_choices[0] if self.lookup_choices else None
        yield from super().choices(changelist)
