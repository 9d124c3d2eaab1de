"""The site's identity (one row, with its links) and the static pages."""

from django import forms
from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import capfirst

from .. import services
from ..images import InvalidImageError, image_validate
from ..models import SiteIdentity, SiteLink
from ..sanitizer import sanitize_html


class SiteLinkInline(admin.TabularInline):
    model = SiteLink
    extra = 0


# --- The brand (issue 18): uploads checked like featured images, saved by the service ---------


class SiteIdentityForm(forms.ModelForm):
    """The brand's pictures are checked by `image_validate`, which says why a file is refused
    (Django's own image field only says "not an image"), as the article form does."""

    BRAND = ("logo", "icon", "share_image")

    class Meta:
        model = SiteIdentity
        fields = [
            "name", "tagline", "about", "contact_email", "copyright_year",
            "logo", "icon", "share_image",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.BRAND:
            old = self.fields[name]
            self.fields[name] = forms.FileField(
                required=False, widget=old.widget, label=old.label, help_text=old.help_text
            )

    def _checked(self, name):
        upload = self.cleaned_data.get(name)
        if isinstance(upload, UploadedFile):
            try:
                image_validate(upload)
            except InvalidImageError as error:
                raise ValidationError(f"{capfirst(str(error))}.", code=error.code) from error
        return upload

    def clean_logo(self):
        return self._checked("logo")

    def clean_icon(self):
        return self._checked("icon")

    def clean_share_image(self):
        return self._checked("share_image")


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    """One row: the site's name, tagline, about text, contacts, brand pictures and links."""

    form = SiteIdentityForm
    list_display = ["name", "tagline", "contact_email"]
    inlines = [SiteLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "tagline", "about", "contact_email", "copyright_year"]}),
        ("Brand", {"fields": ["logo", "icon", "share_image"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.site_identity_save(identity=obj)

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
