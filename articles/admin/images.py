"""Images for article bodies (issue 19): a library editors and translators upload to, and the
picker the body editor opens (django-prose-editor's Figure extension, its ``pickerUrl``): it
lists the library, uploads a new image (alt text required) and hands the chosen rendition,
its alt text and caption back to the editor's "Insert figure" dialog."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from .. import services
from ..images import InvalidImageError, image_validate
from ..models import Image


class ImageUploadForm(forms.ModelForm):
    file = forms.FileField(help_text="A JPEG, PNG or WebP photo; renditions are made on upload.")

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            image_validate(file)
        except InvalidImageError as error:
            raise ValidationError(str(error)[:1].upper() + str(error)[1:] + ".") from error
        return file


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageUploadForm
    list_display = ["thumbnail", "alt_text", "caption", "uploaded_by", "created_at"]
    list_select_related = ["uploaded_by"]
    search_fields = ["alt_text", "caption", "credit"]
    PICKER_PAGE = 40

    @admin.display(description="image")
    def thumbnail(self, obj):
        return format_html('<img src="{}" alt="" width="80" loading="lazy">', obj.url(480))

    def get_fields(self, request, obj=None):
        return (
            ["file", "alt_text", "caption", "credit"]
            if obj is None
            else ["alt_text", "caption", "credit"]
        )

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        created = services.image_create(
            file=data["file"], alt_text=data["alt_text"], caption=data.get("caption", ""),
            credit=data.get("credit", ""), user=request.user,
        )  # fmt: skip
        obj.pk = created.pk
        obj.file, obj.width, obj.height, obj.renditions = (
            created.file,
            created.width,
            created.height,
            created.renditions,
        )

    def get_urls(self):
        return [
            path(
                "picker/",
                self.admin_site.admin_view(self.picker_view),
                name="articles_image_picker",
            ),
            *super().get_urls(),
        ]

    def picker_view(self, request):
        """The body editor's image picker: the library (searchable) and an upload form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        can_add = self.has_add_permission(request)
        form = ImageUploadForm(request.POST or None, request.FILES or None) if can_add else None
        chosen = None
        if request.method == "POST":
            if not can_add:
                raise PermissionDenied
            if form.is_valid():
                try:
                    chosen = services.image_create(
                        file=form.cleaned_data["file"],
                        alt_text=form.cleaned_data["alt_text"],
                        caption=form.cleaned_data.get("caption", ""),
                        credit=form.cleaned_data.get("credit", ""),
                        user=request.user,
                    )
                except ValidationError as error:
                    for field, messages in error.message_dict.items():
                        for message in messages:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    form = ImageUploadForm()
        term = " ".join(request.GET.get("q", "").split())
        images = Image.objects.all()
        if term:
            images = images.filter(alt_text__icontains=term) | images.filter(
                caption__icontains=term
            )
        return TemplateResponse(
            request,
            "admin/articles/image/picker.html",
            {
                **self.admin_site.each_context(request),
                "title": "Choose an image",
                "opts": self.model._meta,
                "images": images.order_by("-created_at", "-pk")[: self.PICKER_PAGE],
                "chosen": chosen,
                "form": form,
                "term": term,
                "func_num": request.GET.get("CKEditorFuncNum", ""),
                "is_popup": True,
            },
        )
