"""Authors: people and organisations, optionally linked to a staff account."""

from django.contrib import admin

from ..models import Author
from .mixins import SummarisedDeleteMixin


@admin.register(Author)
class AuthorAdmin(SummarisedDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["user"]
