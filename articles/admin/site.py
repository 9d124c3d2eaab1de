"""The site's identity (one row, with its links) and the static pages."""

from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.models import FlatPage

from ..models import SiteIdentity, SiteLink
from ..sanitizer import sanitize_html


class SiteLinkInline(admin.TabularInline):
    model = SiteLink
    extra = 0


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    """One row: the site's name, tagline, about text, contacts and links."""

    list_display = ["name", "tagline", "contact_email"]
    inlines = [SiteLinkInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class NewsroomFlatPageAdmin(FlatPageAdmin):
    """Static pages (Who we are, Privacy Policy…), with the same sanitiser as articles."""

    def save_model(self, request, obj, form, change):
        obj.content = sanitize_html(obj.content)
        super().save_model(request, obj, form, change)


admin.site.unregister(FlatPage)
admin.site.register(FlatPage, NewsroomFlatPageAdmin)
