"""The article admin's computed columns (change list) and read-only displays (change form)."""

from django.contrib import admin
from django.utils.html import format_html


class ArticleColumnsMixin:
    """For ArticleAdmin: what `list_display` and `readonly_fields` name beyond model fields."""

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return format_html('<span class="status-scheduled">{}</span>', "Scheduled")
        return obj.get_status_display()

    @admin.display(description="authors")
    def byline(self, obj):
        return ", ".join(author.name for author in obj.authors.all())

    @admin.display(description="image")
    def thumbnail(self, obj):
        if not obj.featured_image:
            return ""
        return format_html(
            '<img class="article-thumb" src="{}" alt="" width="80" loading="lazy">',
            obj.image_url(480),
        )

    @admin.display(description="current image")
    def image_preview(self, obj):
        if not obj.featured_image:
            return "No image yet."
        return format_html(
            '<img class="article-image-preview" src="{}" alt="{}" width="320"><br>{}×{} px',
            obj.image_url(800),
            obj.image_alt,
            obj.image_width or "?",
            obj.image_height or "?",
        )

    @admin.display(description="last saved")
    def last_change(self, obj):
        if not obj.pk:
            return "—"
        return format_html("version {}, {}", obj.version, obj.updated_at.strftime("%Y-%m-%d %H:%M"))
