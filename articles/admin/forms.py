"""The article form (rich-text body, tag names, checked image, optimistic locking) and the
bulk move's category form."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import get_select2_language
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django_prose_editor.fields import ProseEditorFormField

from ..images import InvalidImageError, image_validate
from ..models import Article, Category, Tag
from ..sanitizer import sanitize_html
from ..text import slugify

# What the body editor offers; the server sanitises whatever arrives all the same.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}


class TagAutocompleteWidget(forms.SelectMultiple):
    """A multiple select of tag *names* that the admin's bundled Select2 turns into an
    autocomplete (articles/admin/tag_autocomplete.js): after two letters it suggests existing
    tags from the Tag admin's JSON view, and a name nobody has used yet becomes a new tag.

    Only the article's own tags are rendered as options, never the whole tag table.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["class"] = " ".join(filter(None, [attrs.get("class"), "digest-tag-autocomplete"]))
        attrs["data-autocomplete-url"] = reverse("admin:articles_tag_autocomplete")
        attrs["data-placeholder"] = "Type two letters of a tag, or a new tag"
        attrs["lang"] = get_select2_language() or "en"
        return attrs

    def optgroups(self, name, value, attrs=None):
        options = [
            self.create_option(name, tag, tag, True, index) for index, tag in enumerate(value)
        ]
        return [(None, options, 0)]

    @property
    def media(self):
        extra = "" if settings.DEBUG else ".min"
        language = get_select2_language()
        return forms.Media(
            js=[
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                *([f"admin/js/vendor/select2/i18n/{language}.js"] if language else []),
                "admin/js/jquery.init.js",
                "articles/admin/tag_autocomplete.js",
            ],
            css={
                "screen": [
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                ]
            },
        )


class TagNamesField(forms.Field):
    """Tag names, as typed: a comma or a quote is part of a name, not a separator."""

    widget = TagAutocompleteWidget
    max_length = Tag._meta.get_field("name").max_length

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = [value]
        names = {}
        for raw in value:
            name = " ".join(str(getattr(raw, "name", raw)).split())
            # Tags are case-insensitive (TAGGIT_CASE_INSENSITIVE): the first spelling wins.
            if name:
                names.setdefault(name.casefold(), name)
        return list(names.values())

    def validate(self, value):
        super().validate(value)
        too_long = [name for name in value if len(name) > self.max_length]
        if too_long:
            raise ValidationError(
                "A tag has at most %(limit)d characters: “%(name)s” is longer.",
                code="max_length",
                params={"limit": self.max_length, "name": too_long[0]},
            )

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


class ArticleAdminForm(forms.ModelForm):
    """The article form: a rich-text body, a checked image and the version it was opened at."""

    body = ProseEditorFormField(
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        sanitize=sanitize_html,
        required=False,
        widget=admin.widgets.AdminTextareaWidget,
        help_text=Article._meta.get_field("body").help_text,
    )
    tags = TagNamesField(
        required=False,
        help_text="Type two letters to see existing tags; a new name becomes a new tag.",
    )
    # Optimistic locking: the version this copy was opened at travels with the form.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "body", "featured_image", "image_alt",
            "image_caption", "image_credit", "category", "authors", "tags", "language",
            "status", "published_at", "is_featured", "seo_title", "seo_description",
            "canonical_url",
        ]  # fmt: skip
        # Tags are saved by `services.article_save` (ArticleAdmin.save_model), like the rest
        # of the article, not by taggit's model-form hook: the form only carries the names.
        # (`fields` above still lists what the form shows; this only keeps the model field
        # out of the model form's own saving.)
        exclude = ["tags"]  # noqa: DJ006

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tags" in self.fields and self.instance.pk and "tags" not in self.initial:
            self.initial["tags"] = [tag.name for tag in self.instance.tags.all()]
        if "tags" in self.fields and not self.can_add_tags:
            self.fields["tags"].widget.attrs["data-allow-new"] = "false"
            self.fields["tags"].help_text = "Type two letters to choose existing tags."
        if "slug" in self.fields:
            # Any spelling is accepted and transliterated ("Şuşa" → "shusha"); left empty,
            # the service makes it from the headline.
            old = self.fields["slug"]
            self.fields["slug"] = forms.CharField(
                required=False, max_length=old.max_length, help_text=old.help_text,
                widget=old.widget,
            )  # fmt: skip
        if "featured_image" in self.fields:
            # Checked by `image_validate`, which says why a file is refused (Django's own
            # image field only says "not an image").
            old = self.fields["featured_image"]
            self.fields["featured_image"] = forms.FileField(
                required=False, widget=old.widget, help_text="A JPEG, PNG or WebP photo, at "
                "least 1200 pixels wide for sharp renditions. Renditions are made on save.",
            )  # fmt: skip
        if self.instance.pk and not self.is_bound:
            self.initial["opened_version"] = self.instance.version
        elif self.instance.pk:
            self.initial.setdefault("opened_version", self.instance.version)

    # Whether the user may make new tags (the `articles.add_tag` permission); ArticleAdmin
    # sets it for each request's form.
    can_add_tags = True

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []
        if names and not self.can_add_tags:
            matches = Q()
            for name in names:
                matches |= Q(name__iexact=name)
            known = {
                name.casefold()
                for name in Tag.objects.filter(matches).values_list("name", flat=True)
            }
            new = [name for name in names if name.casefold() not in known]
            if new:
                raise ValidationError(
                    "Choose existing tags: you may not make new ones (“%(name)s”).",
                    code="new_tag",
                    params={"name": new[0]},
                )
        return names

    def clean_slug(self):
        return slugify(self.cleaned_data.get("slug", ""), max_length=190)

    def clean_featured_image(self):
        image = self.cleaned_data.get("featured_image")
        if isinstance(image, UploadedFile):
            try:
                image_validate(image)
            except InvalidImageError as error:
                raise ValidationError(f"{capfirst(str(error))}.", code=error.code) from error
        return image

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_version(cleaned.get("opened_version"))
        status = cleaned.get("status")
        if status == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            if "published_at" in self.fields:
                # "Published" with no time means now.
                cleaned["published_at"] = timezone.now()
        image = cleaned.get("featured_image")
        if status == Article.Status.PUBLISHED and image and not cleaned.get("image_alt", "x"):
            self.add_error("image_alt", "Describe the featured image (alt text) before publishing.")
        return cleaned

    def _check_version(self, submitted):
        # Lock the row until this request's transaction ends, so nobody saves in between.
        stored = (
            Article.objects.select_for_update().filter(pk=self.instance.pk).values("version").get()
        )["version"]
        # While a revision is being restored the row holds the old copy's fields; the
        # instance carries the real current version (see ArticleHistoryMixin.revision_view
        # in history.py).
        current = max(stored, self.instance.version)
        if submitted is None or submitted == current:
            return
        self.stale_version = current
        differing = [
            field.label
            for name, field in self.fields.items()
            if name in self.cleaned_data
            and name != "opened_version"
            and hasattr(self.instance, name)
            and name in self.initial
            and self.initial[name] != self.cleaned_data[name]
            and not isinstance(self.initial[name], list)
        ]
        history = reverse("admin:articles_article_history", args=[self.instance.pk])
        raise ValidationError(
            format_html(
                "Someone else saved this article while you were editing it (you opened "
                "version {}, it is now version {}). Nothing was saved: your text is still in "
                'the form below. {}<a href="{}">See their changes in the history</a>, copy '
                "what you need, then reload the article and apply your edits again.",
                submitted,
                current,
                format_html(
                    "Fields where your copy differs from theirs: {}. ",
                    ", ".join(str(label) for label in differing),
                )
                if differing
                else "",
                history,
            ),
            code="stale",
        )


class MoveToCategoryForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.select_related("parent"))
