from django.contrib import admin

from .models import Article, Author, Category, SiteIdentity, SiteLink, Source, Tag, Translation


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "menu_order", "is_in_menu"]
    list_editable = ["menu_order", "is_in_menu"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "user"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "language"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class TranslationInline(admin.StackedInline):
    model = Translation
    autocomplete_fields = ["source", "original_author", "translator"]
    extra = 0
    max_num = 1


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "category", "published_at", "is_featured"]
    list_filter = ["status", "category", "is_featured"]
    list_select_related = ["category"]
    search_fields = ["title", "standfirst"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "authors"]
    inlines = [TranslationInline]


class SiteLinkInline(admin.TabularInline):
    model = SiteLink
    extra = 0


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    inlines = [SiteLinkInline]
