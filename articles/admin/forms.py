"""The article form (rich-text body, tag names, checked image, optimistic locking) and the
bulk move's category form."""

import re

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple, get_select2_language
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django_prose_editor.fields import ProseEditorFormField
from reversion.models import Version

from ..images import InvalidImageError, image_validate
from ..models import Article, Category, Tag, Translation
from ..sanitizer import sanitize_html
from ..text import plain_name, slugify
from . import conflicts

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
    # Issue 19: images in the body, picked from (or uploaded to) the image library.
    "Figure": {"pickerUrl": reverse_lazy("admin:articles_image_picker")},
    "Image": True,
    "Caption": True,
}
# A body image must come from the library (its renditions, its alt text): the media URL.
BODY_IMAGE_RE = re.compile(r"<img\b[^>]*>", re.I)
ATTRIBUTE_RE = re.compile(r'\b(src|alt)="([^"]*)"', re.I)


class BylineWidget(AutocompleteSelectMultiple):
    """The authors' autocomplete, showing the chosen authors in the byline's order (Django's
    lists them in the queryset's, alphabetical). Select2 adds a newly chosen author after the
    others, and the form posts them in that order (`BylineField`)."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        place = {str(pk): index for index, pk in enumerate(value)}
        for _, options, _ in groups:
            options.sort(key=lambda option: place.get(str(option["value"]), len(place)))
            for index, option in enumerate(options):
                option["index"] = str(index)
        return groups


class BylineField(forms.ModelMultipleChoiceField):
    """The byline's authors as a list in the order posted (issue 16), where Django's field
    gives a queryset in the model's order; moving an author is a change."""

    def clean(self, value):
        authors = super().clean(value)
        place = {str(pk): index for index, pk in enumerate(value or [])}
        return sorted(authors, key=lambda author: place[str(author.pk)])

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        before = [str(pk) for pk in self.prepare_value(initial or [])]
        return before != [str(pk) for pk in data or []]


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
            name = plain_name(getattr(raw, "name", raw))  # plain text, as services save it
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


class ProvenanceForm(forms.ModelForm):
    """The provenance inline's form. A new one is saved only when it says where the piece
    came from: the translator's own credit, filled in by default, makes no record alone."""

    class Meta:
        model = Translation
        fields = list(conflicts.PROVENANCE_FIELDS)

    def has_changed(self):
        if not super().has_changed():
            return False
        if self.instance.pk:
            return True
        said = [
            name
            for name in self.fields
            if name not in ("translator", "id", "article", "DELETE")
            and self[name].value() not in (None, "", [])
        ]
        return bool(said)


# The desk's buttons (issue 19): what each does to the status, and who may press it.
PUBLISH_ACTIONS = {
    "save": "Save",
    "draft": "Save draft",
    "review": "Submit for review",
    "publish": "Publish now",
    "schedule": "Schedule…",
    "unpublish": "Unpublish",
}
DRAFTING_ACTIONS = ("save", "draft", "review")


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
    # Optimistic locking: the version this copy was opened at travels with the form, and a
    # fingerprint of each field as it was then, to merge a stale save (articles/admin/conflicts).
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    opened_fingerprints = forms.CharField(widget=forms.HiddenInput, required=False)
    # The button pressed (issue 19); not rendered as a field: each button posts its value.
    publish_action = forms.ChoiceField(choices=list(PUBLISH_ACTIONS.items()), required=False)
    # After a conflict: the fields whose other version (the one saved meanwhile) to keep.
    take_theirs = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Use their version of"
    )

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
        if not self.is_bound and self.autosave_initial:
            # What this editor typed and did not save (their autosave), over the stored text.
            self.initial.update(self.autosave_initial)
        if self.instance.pk and not self.is_bound:
            self.initial["opened_version"] = self.instance.version
            self.initial["opened_fingerprints"] = self.fingerprints_now()
        elif self.instance.pk:
            self.initial.setdefault("opened_version", self.instance.version)
        if "status" in self.fields:
            # The status travels as it is; the buttons change it (publish_action).
            self.fields["status"].widget = forms.HiddenInput()
        if not self.can_publish:
            self.fields["publish_action"].choices = [
                (value, label) for value, label in PUBLISH_ACTIONS.items()
                if value in DRAFTING_ACTIONS
            ]  # fmt: skip
        self.fields["take_theirs"].choices = [
            (name, self[name].label) for name in self.compared_fields()
        ]
        self.conflict = None

    def compared_fields(self):
        return [name for name in self.Meta.fields if name in self.fields]

    def _save_m2m(self):
        # The byline is written in its order by `services.article_save` (ArticleAdmin's
        # save_model), not by the model form (its `set()` knows no order).
        cleaned = self.cleaned_data
        self.cleaned_data = {name: value for name, value in cleaned.items() if name != "authors"}
        try:
            super()._save_m2m()
        finally:
            self.cleaned_data = cleaned

    def fingerprints_now(self):
        return conflicts.sign(conflicts.stored_values(self.instance, self.compared_fields()))

    # Whether the user may make new tags (the `articles.add_tag` permission) and publish;
    # ArticleAdmin sets them for each request's form.
    can_add_tags = True
    can_publish = True
    autosave_initial = {}  # the editor's autosaved fields (ArticleTogetherMixin)

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

    def clean_body(self):
        """Every image in the text is one of the library's, with alt text (issue 19)."""
        body = self.cleaned_data.get("body", "")
        media = str(settings.MEDIA_URL)
        for tag in BODY_IMAGE_RE.findall(body):
            attributes = {k.lower(): v for k, v in ATTRIBUTE_RE.findall(tag)}
            src = attributes.get("src", "")
            if not attributes.get("alt", "").strip():
                raise ValidationError(
                    "Every image in the text needs alt text: describe what it shows for "
                    "readers who cannot see it (select the image, then its edit button).",
                    code="image_alt",
                )
            if not src.startswith(media) and not src.startswith(f"/{media.lstrip('/')}"):
                raise ValidationError(
                    "Insert images from the image library (the figure button, then "
                    "“Browse…”), so they are stored with their renditions: “%(src)s” is not.",
                    code="image_source",
                    params={"src": src[:80]},
                )
        return body

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
            for name in cleaned.get("take_theirs") or []:
                cleaned[name] = conflicts.stored_values(self.instance, [name])[name]
                if name == "tags":
                    cleaned[name] = [t.name for t in self.instance.tags.all()]
                elif name == "authors":
                    cleaned[name] = list(self.instance.authors.all())  # in their order
        self._apply_publish_action(cleaned)
        status = cleaned.get("status")
        if status == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            if "published_at" in self.fields:
                # "Published" with no time means now.
                cleaned["published_at"] = timezone.now()
        image = cleaned.get("featured_image")
        if status == Article.Status.PUBLISHED and image and not cleaned.get("image_alt", "x"):
            self.add_error("image_alt", "Describe the featured image (alt text) before publishing.")
        return cleaned

    def _apply_publish_action(self, cleaned):
        """What the pressed button means for the status and the publication time."""
        action = cleaned.get("publish_action")
        if not action or action == "save" or "status" not in cleaned:
            return
        now = timezone.now()
        if action == "draft":
            cleaned["status"] = Article.Status.DRAFT
        elif action == "review":
            cleaned["status"] = Article.Status.REVIEW
        elif action == "unpublish":
            cleaned["status"] = Article.Status.UNPUBLISHED
        elif action == "publish":
            cleaned["status"] = Article.Status.PUBLISHED
            when = cleaned.get("published_at")
            if not self.instance.is_public or when is None or when > now:
                cleaned["published_at"] = now
        elif action == "schedule":
            when = cleaned.get("published_at")
            if when is None or when <= now:
                self.add_error(
                    "published_at",
                    "Choose a time in the future to schedule the article (or press “Publish now”).",
                )
                return
            cleaned["status"] = Article.Status.PUBLISHED

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
        self.conflict = self._merge(submitted, current)
        history = reverse("admin:articles_article_history", args=[self.instance.pk])
        conflict = self.conflict
        who = format_html(
            " ({}{})",
            f"by {conflict.saved_by}" if conflict.saved_by else "",
            f" at {timezone.localtime(conflict.saved_at):%H:%M}" if conflict.saved_at else "",
        ) if conflict.saved_by or conflict.saved_at else ""  # fmt: skip
        parts = [
            format_html(
                "Someone else saved this article while you were editing it (you opened "
                "version {}, it is now version {}){}. Nothing was saved: your text is still in "
                "the form below.",
                submitted,
                current,
                who,
            )
        ]
        if conflict.their_labels:
            parts.append(
                format_html("They changed: {}.", ", ".join(map(str, conflict.their_labels)))
            )
        else:
            parts.append("They changed none of the fields of this form.")
        if conflict.merged:
            parts.append(
                format_html(
                    "Their {} {} now in the form, with your changes kept.",
                    ", ".join(map(str, conflict.merged)),
                    "is" if len(conflict.merged) == 1 else "are",
                )
            )
        if conflict.both:
            parts.append(
                format_html(
                    "You both changed {}: compare the two versions below and choose.",
                    ", ".join(str(item["label"]) for item in conflict.both),
                )
            )
        parts.append(
            format_html(
                'Check, then save again. <a href="{}">See every change in the history</a>.',
                history,
            )
        )
        raise ValidationError(
            format_html_join(" ", "{}", ((part,) for part in parts)), code="stale"
        )

    def _merge(self, submitted, current):
        """The conflict between this copy (opened at *submitted*) and the article now: their
        changes to fields this editor left alone go into the submitted data (so the form
        shows them), and the next save is checked against the version now."""
        names = self.compared_fields()
        now_values = conflicts.stored_values(self.instance, names)
        now_prints = {name: conflicts.fingerprint(v) for name, v in now_values.items()}
        opened = conflicts.unsign(self.data.get("opened_fingerprints")) or {}
        mine = self._submitted_values(names)
        latest = (
            Version.objects.get_for_object(self.instance).select_related("revision__user").first()
        )
        conflict = conflicts.Conflict(opened_version=submitted, current_version=current)
        if latest is not None:
            conflict.saved_at = latest.revision.date_created
            user = latest.revision.user
            conflict.saved_by = (user.get_full_name() or user.get_username()) if user else ""
        for name, value in now_values.items():
            if name not in mine:
                continue
            label = self._label(name)
            base = opened.get(name)
            theirs_changed = base is None or base != now_prints[name]
            mine_print = conflicts.fingerprint(mine[name])
            mine_changed = base is None or base != mine_print
            if not theirs_changed or mine_print == now_prints[name]:
                continue
            if mine_changed and base is not None:
                conflict.both.append(
                    {
                        "name": name,
                        "label": label,
                        "theirs": conflicts.readable(self._display(name, value)),
                        "mine": conflicts.readable(self._display(name, mine[name])),
                        "choosable": name in self.fields,
                    }
                )
            elif base is None:
                conflict.both.append(
                    {
                        "name": name,
                        "label": label,
                        "theirs": conflicts.readable(self._display(name, value)),
                        "mine": conflicts.readable(self._display(name, mine[name])),
                        "choosable": name in self.fields,
                    }
                )
            else:
                conflict.theirs.append(label)
                if self._put_in_data(name, value):
                    conflict.merged.append(label)
        self._put_raw("opened_version", [str(current)])
        self._put_raw("opened_fingerprints", [conflicts.sign(now_values)])
        return conflict

    def _label(self, name):
        if name.startswith(conflicts.PROVENANCE_PREFIX):
            field = Translation._meta.get_field(name.removeprefix(conflicts.PROVENANCE_PREFIX))
            return f"provenance: {field.verbose_name}"
        return str(self[name].label)

    def _display(self, name, value):
        if name == "authors" and value:
            from ..models import Author

            names = dict(Author.objects.filter(pk__in=value).values_list("pk", "name"))
            return [names.get(pk, pk) for pk in value]
        if name == "category" and value is not None and not hasattr(value, "pk"):
            return Category.objects.filter(pk=value).first()
        return value

    def _submitted_values(self, names):
        """This editor's values, comparable with `conflicts.stored_values`."""
        values = {}
        for name in names:
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if name == "authors":
                value = tuple(a.pk for a in value)  # in order: moving an author is a change
            elif name == "tags":
                value = [t.casefold() for t in value]
            elif name == "featured_image" and not value:
                value = self.instance.featured_image  # no new upload: the form keeps it
            values[name] = value
        prefix = conflicts.PROVENANCE_PREFIX
        if any(key.startswith(prefix) for key in self.data):
            record = Translation.objects.filter(article=self.instance).first()
            provenance = ProvenanceForm(
                self.data, prefix=prefix.rstrip("-"), instance=record or Translation()
            )
            provenance.is_valid()
            for name in conflicts.PROVENANCE_FIELDS:
                if name in provenance.cleaned_data:
                    values[prefix + name] = provenance.cleaned_data[name]
        return values

    def _put_raw(self, key, values):
        mutable = getattr(self.data, "_mutable", True)
        if hasattr(self.data, "_mutable"):
            self.data._mutable = True
        try:
            if hasattr(self.data, "setlist"):
                self.data.setlist(key, values)
            else:
                self.data[key] = values[0] if len(values) == 1 else values
        finally:
            if hasattr(self.data, "_mutable"):
                self.data._mutable = mutable

    def _drop_raw(self, key):
        mutable = getattr(self.data, "_mutable", True)
        if hasattr(self.data, "_mutable"):
            self.data._mutable = True
        try:
            self.data.pop(key, None)
        finally:
            if hasattr(self.data, "_mutable"):
                self.data._mutable = mutable

    def _put_in_data(self, name, value):
        """Write their *value* of field *name* into the submitted data, as its widget posts
        it: the re-shown form (and the provenance inline, which reads the same data) shows it.
        The request's data is changed in place on purpose: the inline's formset reads it."""
        if name.startswith(conflicts.PROVENANCE_PREFIX):
            if self.data.get(conflicts.PROVENANCE_PREFIX + "id") in (None, ""):
                return False
            self._put_raw(name, [conflicts.canonical(value) if value is not None else ""])
            return True
        if name == "featured_image":
            return True  # nothing uploaded here: the form keeps the image they chose
        if name not in self.fields:
            return False
        if name == "published_at":
            local = timezone.localtime(value) if value else None
            self._put_raw("published_at_0", [f"{local:%Y-%m-%d}" if local else ""])
            self._put_raw("published_at_1", [f"{local:%H:%M:%S}" if local else ""])
        elif name == "authors":
            self._put_raw(name, [str(pk) for pk in value])
        elif name == "tags":
            self._put_raw(name, [t.name for t in self.instance.tags.all()])
        elif isinstance(value, bool):
            if value:
                self._put_raw(name, ["on"])
            else:
                self._drop_raw(name)
        elif hasattr(value, "pk"):
            self._put_raw(name, [str(value.pk)])
        else:
            self._put_raw(name, ["" if value is None else str(value)])
        return True


class MoveToCategoryForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.select_related("parent"))
