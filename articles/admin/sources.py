"""Sources: the outlets translations and reprints come from. Translators may add one while
recording a translation; editors merge duplicates (issue 19)."""

from django.contrib import admin

from .. import services
from ..models import Source
from .mixins import SummarisedDeleteMixin
from .people import PublishPermissionMixin, merge_action


@admin.register(Source)
class SourceAdmin(PublishPermissionMixin, SummarisedDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "url", "language"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    actions = [merge_action(services.source_merge, "source outlet")]
