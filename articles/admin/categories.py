"""The menu's categories: a two-level tree ordered by hand."""

from django.contrib import admin

from ..models import Category
from .mixins import SummarisedDeleteMixin


@admin.register(Category)
class CategoryAdmin(SummarisedDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "menu_order", "is_in_menu"]
    list_editable = ["menu_order", "is_in_menu"]
    list_filter = ["is_in_menu", "parent"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
