"""The Files library: PDFs, Office documents and audio that articles link to. Editors and
translators upload a file, copy its address from the list and link to it from an article's
body (select the words, the link button, paste the address). Each upload is checked by its
content like an image (`articles.documents.document_validate`), through the same service the
WordPress importer uses (`services.document_create`)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html

from .. import services
from ..documents import ACCEPTED, InvalidDocumentError, document_validate, kind_label
from ..models import Document

LINK_HELP = (
    "To link to it from an article, copy its address, select the words in the body, press the "
    "link button and paste the address."
)


class DocumentUploadForm(forms.ModelForm):
    file = forms.FileField(
        help_text=f"Accepted: {ACCEPTED}. Checked by what the file holds, not by its name. "
        + LINK_HELP
    )
    title = forms.CharField(
        required=False,
        max_length=300,
        help_text="What the file is, as a reader would call it, e.g. “Energy report, first "
        "quarter 2024”. Left empty, it is taken from the file's name.",
    )

    class Meta:
        model = Document
        fields = ["file", "title"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            document_validate(file, name=file.name)
        except InvalidDocumentError as error:
            raise ValidationError(str(error)[:1].upper() + str(error)[1:] + ".") from error
        return file


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "file_size", "uploaded_by", "created_at", "address"]
    list_select_related = ["uploaded_by"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    readonly_fields = ["address", "open_link", "kind", "file_size", "uploaded_by", "created_at"]

    @admin.display(description="kind", ordering="content_type")
    def kind(self, obj):
        return kind_label(obj.content_type)

    @admin.display(description="size", ordering="size")
    def file_size(self, obj):
        return filesizeformat(obj.size)

    @admin.display(description="address")
    def address(self, obj):
        return format_html("<code>{}</code>", obj.url) if obj.url else "—"

    @admin.display(description="open")
    def open_link(self, obj):
        if not obj.url:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">Open the file</a>', obj.url
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = DocumentUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["file", "title"]})]
        return [
            (None, {"fields": ["title", "address", "open_link"], "description": LINK_HELP}),
            ("Details", {"fields": ["kind", "file_size", "uploaded_by", "created_at"]}),
        ]

    def save_model(self, request, obj, form, change):
        if change:  # only the title changes: the file stays what was checked
            obj.title = " ".join(obj.title.split())
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        created = services.document_create(
            file=data["file"], title=data.get("title", ""), user=request.user
        )
        for name in ("pk", "file", "title", "content_type", "size", "uploaded_by", "created_at"):
            setattr(obj, name, getattr(created, name))

    def delete_model(self, request, obj):
        services.document_delete(document=obj)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_delete(document=document)
