"""Sources: the outlets translations and reprints come from."""

from django.contrib import admin

from ..models import Source
from .mixins import SummarisedDeleteMixin


@admin.register(Source)
class SourceAdmin(SummarisedDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "url", "language"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
