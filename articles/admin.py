"""The newsroom: the Django admin, made for editors and translators.

Roles (groups made by a migration): an *Editor* holds ``articles.publish_article`` and does
everything; a *Translator* drafts and edits their own pieces and submits them for review.
The admin hides what a role may not do, and `articles.services` refuses it again, so a
hand-made POST gets no further than the buttons would.
"""

import difflib

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation, IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import get_select2_language
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.models import FlatPage
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django_prose_editor.fields import ProseEditorFormField
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import services
from .images import InvalidImageError, image_validate
from .models import (
    Article,
    Author,
    Category,
    SiteIdentity,
    SiteLink,
    Source,
    Tag,
    TaggedArticle,
    Translation,
)
from .preview import preview_url
from .sanitizer import sanitize_html
from .text import plain_name, slugify

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


class SummarisedDeleteMixin:
    """The delete confirmation of a category, tag, author or source that many articles point
    at: how many rows each relation holds, not every row. Django's page lists them all (a
    tag on 400,000 articles: 9.5 s and a 15 MB page; a category's protected articles: 11 s,
    8 MB). With up to LIST_AT_MOST rows in each relation, the usual detailed page.

    Only the direct relations are counted: for these four models nothing deleted with them
    has rows of its own to delete (tag links, bylines), and every other relation protects or
    is emptied (articles, provenance).
    """

    LIST_AT_MOST = 100

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        relations = list(self._relations(objs))
        if all(count <= self.LIST_AT_MOST for _, _, count in relations):
            return super().get_deleted_objects(objs, request)
        deleted = [format_html("{}: {}", capfirst(self.opts.verbose_name), obj) for obj in objs]
        model_count = {self.opts.verbose_name_plural: len(objs)}
        perms_needed, protected, with_them = set(), [], []
        for model, protects, count in relations:
            if not count:
                continue
            label = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            if protects:
                protected.append(f"{count:,} {label}")
                continue
            with_them.append(f"{count:,} {label}")
            model_count[model._meta.verbose_name_plural] = count
            related_admin = self.admin_site._registry.get(model)
            if related_admin and not related_admin.has_delete_permission(request):
                perms_needed.add(model._meta.verbose_name)
        if with_them:
            deleted.append(with_them)  # shown under the objects, as Django nests them
        return deleted, model_count, perms_needed, protected

    def _relations(self, objs):
        """(model, whether it protects, rows) for each relation that deleting *objs* touches:
        those that cascade or protect (the rest are only emptied)."""
        for relation in self.opts.related_objects:
            if relation.many_to_many:
                through = relation.through
                field = next(f.name for f in through._meta.fields if f.related_model is self.model)
                yield through, False, through._base_manager.filter(**{f"{field}__in": objs}).count()
                continue
            on_delete = relation.on_delete
            if on_delete not in (models.CASCADE, models.PROTECT, models.RESTRICT):
                continue
            rows = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": objs}
            )
            yield relation.related_model, on_delete is not models.CASCADE, rows.count()


@admin.register(Category)
class CategoryAdmin(SummarisedDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "menu_order", "is_in_menu"]
    list_editable = ["menu_order", "is_in_menu"]
    list_filter = ["is_in_menu", "parent"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class PlainNameForm(forms.ModelForm):
    """Issue 16: a tag's or an author's name is plain text, as the services save it."""

    def clean_name(self):
        name = plain_name(self.cleaned_data.get("name", ""))
        if not name:
            raise ValidationError("A name needs some text (markup is removed).")
        return name


@admin.register(Author)
class AuthorAdmin(SummarisedDeleteMixin, admin.ModelAdmin):
    form = PlainNameForm
    list_display = ["name", "kind", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["user"]


@admin.register(Source)
class SourceAdmin(SummarisedDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "url", "language"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(SummarisedDeleteMixin, admin.ModelAdmin):
    form = PlainNameForm
    list_display = ["name", "slug", "articles_link"]
    search_fields = ["name", "slug"]

    AUTOCOMPLETE_PAGE = 20

    @admin.display(description="articles")
    def articles_link(self, obj):
        url = reverse("admin:articles_article_changelist")
        return format_html('<a href="{}?tag={}">Articles with this tag</a>', url, obj.slug)

    def delete_model(self, request, obj):
        services.tag_delete(tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            services.tag_delete(tag=tag)

    def get_urls(self):
        return [
            path(
                "autocomplete/",
                self.admin_site.admin_view(self.autocomplete_names_view),
                name="articles_tag_autocomplete",
            ),
            *super().get_urls(),
        ]

    def autocomplete_names_view(self, request):
        """Tag names for the article form's tag field (Select2's JSON): names containing
        the term, or whose slug contains its transliteration ("erdog" finds "Erdoğan"),
        those starting with it first. Whoever may see tags may ask (translators too)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        term = " ".join(request.GET.get("term", "").split())
        try:
            # Issue 16: capped, so a huge number is no OverflowError in the slice below.
            page = min(max(1, int(request.GET.get("page", "1"))), 10_000)
        except ValueError:
            page = 1
        tags = Tag.objects.all()
        if term:
            slug = slugify(term)
            matches = Q(name__icontains=term) | (Q(slug__contains=slug) if slug else Q())
            starts = Q(name__istartswith=term) | (Q(slug__startswith=slug) if slug else Q())
            tags = tags.filter(matches).annotate(
                rank=Case(When(starts, then=Value(0)), default=Value(1))
            )
            tags = tags.order_by("rank", "name")
        start = (page - 1) * self.AUTOCOMPLETE_PAGE
        names = list(
            tags.values_list("name", flat=True)[start : start + self.AUTOCOMPLETE_PAGE + 1]
        )
        return JsonResponse(
            {
                "results": [{"id": name, "text": name} for name in names[: self.AUTOCOMPLETE_PAGE]],
                "pagination": {"more": len(names) > self.AUTOCOMPLETE_PAGE},
            }
        )


class TranslationInline(admin.StackedInline):
    model = Translation
    autocomplete_fields = ["source", "original_author", "translator"]
    extra = 0
    max_num = 1
    verbose_name = "provenance (translated or reprinted from)"


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
            name = plain_name(getattr(raw, "name", raw))  # issue 16: plain text
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
        # instance carries the real current version (see ArticleAdmin.revision_view).
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


class TranslatedFilter(admin.SimpleListFilter):
    title = "provenance"
    parameter_name = "translated"

    def lookups(self, request, model_admin):
        return [("yes", "Translated or reprinted"), ("no", "Original to Digest")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(translation__isnull=False)
        if self.value() == "no":
            return queryset.filter(translation__isnull=True)
        return queryset


class TagFilter(admin.SimpleListFilter):
    """Articles with one tag (``?tag=<slug>``, linked from the tag list). It lists only the
    tag chosen: a list of every tag (thousands) would cost each change-list page."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        if not self.value():
            return []
        found = Tag.objects.filter(slug=self.value()).values_list("pk", "name").first()
        self.tag_id = found[0] if found else None
        # An unknown slug (an old link) is still shown, so the filter applies: no articles.
        return [(self.value(), found[1] if found else f"{self.value()} (no such tag)")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # By the tag's id (read by lookups()), not a join on its slug: PostgreSQL then knows
        # how many articles that one tag has, and reads a rare tag's links first instead of
        # walking the newest-first index of a million articles until fifty turn up (2 s ->
        # 0.05 s).
        if self.tag_id is None:
            return queryset.none()
        return queryset.filter(tagged_items__tag_id=self.tag_id)


class CappedCountPaginator(Paginator):
    """Counts at most `CAP` rows exactly; past that, PostgreSQL's estimate for the table.

    Counting 100,000 rows on every change-list page is the slow part of the admin; nobody
    needs page 5,001 to be exact.
    """

    CAP = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        capped = queryset.order_by().values("pk")[: self.CAP + 1].count()
        if capped <= self.CAP:
            return capped
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            return max(estimate, capped)
        return capped


# The admin search sorts its matches itself up to this many (ArticleAdmin.get_search_results).
SEARCH_FEW = 5000


class ArticleChangeList(ChangeList):
    def get_filters(self, request):
        # Issue 16: a date-hierarchy year too big for a date (?published_at__year=9999999999)
        # is an OverflowError, which Django's own check (ValueError) lets through as a 500.
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_ordering(self, request, queryset):
        # A unique, indexed order ("-published_at", "-id") instead of Django's added "-pk".
        ordering = super().get_ordering(request, queryset)
        return ["-id" if field == "-pk" else field for field in ordering]


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    list_display = [
        "title",
        "status_label",
        "category",
        "byline",
        "published_at",
        "is_featured",
        "thumbnail",
    ]
    list_filter = [
        "status",
        "category",
        "authors",
        TranslatedFilter,
        "translation__source",
        "is_featured",
        "language",
        "published_at",
        TagFilter,
    ]
    list_select_related = ["category", "category__parent"]
    list_per_page = 50
    search_fields = ["title", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "authors"]
    inlines = [TranslationInline]
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = [
        "publish", "unpublish", "feature", "unfeature", "move_to_category",
        "revoke_previews",  # issue 16
    ]  # fmt: skip
    readonly_fields = ["word_count", "reading_minutes", "image_preview", "last_change"]
    fieldsets = [
        (
            "Content",
            {
                "fields": [
                    "title",
                    "slug",
                    "standfirst",
                    "body",
                    ("word_count", "reading_minutes"),
                    "opened_version",
                ]
            },
        ),
        (
            "Featured image",
            {
                "fields": [
                    "featured_image",
                    "image_preview",
                    "image_alt",
                    "image_caption",
                    "image_credit",
                ]
            },
        ),
        ("Byline and place", {"fields": ["category", "authors", "tags", "language"]}),
        ("Publishing", {"fields": ["status", "published_at", "is_featured", "last_change"]}),
        (
            "SEO",
            {
                "classes": ["collapse"],
                "fields": ["seo_title", "seo_description", "canonical_url"],
            },
        ),
    ]

    class Media:
        js = ["articles/admin/urlify.js"]
        css = {"all": ["articles/admin/admin.css"]}

    # --- Roles -------------------------------------------------------------------------------

    def has_publish_permission(self, request):
        return services.article_can_publish(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("authors")
        if not services.article_can_publish(request.user):
            queryset = queryset.filter(services.articles_owned_filter(request.user))
        return queryset

    def get_search_results(self, request, queryset, search_term):
        if connection.vendor != "postgresql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        # The trigger-kept, GIN-indexed search vector (title, standfirst, body) instead of
        # three ILIKE scans over 100,000 bodies; a title fragment still matches (a trigram
        # index, migration 0009).
        query = SearchQuery(search_term, config="english", search_type="websearch")
        matches = [
            queryset.filter(search_vector=query),
            queryset.filter(title__icontains=search_term),
        ]
        # PostgreSQL cannot tell how many titles hold a fragment, and when it guesses many it
        # walks the newest-first index testing every row's vector (3.5 s at a million
        # articles for a fragment in 144 titles). So: read the matches from the indexes, each
        # kind on its own, up to SEARCH_FEW; when that is all of them the page sorts those
        # few, and only a search matching more walks the index (where it soon finds a page).
        found = set()
        for match in matches:
            found.update(match.order_by().values_list("pk", flat=True)[: SEARCH_FEW + 1])
            if len(found) > SEARCH_FEW:
                return queryset.filter(
                    Q(search_vector=query) | Q(title__icontains=search_term)
                ), False
        return queryset.filter(pk__in=found), False

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.can_add_tags = request.user.has_perm("articles.add_tag")  # a class per request
        return form

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.article_editable_by(obj, request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if services.article_can_publish(request.user):
            return True
        # Translators delete only their own drafts, one at a time (no bulk delete).
        return obj is not None and (
            obj.status == Article.Status.DRAFT and services.article_owned_by(obj, request.user)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not services.article_can_publish(request.user):
            fields += ["published_at", "is_featured"]
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not services.article_can_publish(request.user):
            kwargs["choices"] = [
                (value, label)
                for value, label in Article.Status.choices
                if value in services.DRAFTING_STATUSES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if not services.article_can_publish(request.user):
            actions.pop("delete_selected", None)
        return actions

    # --- Saving through the service ----------------------------------------------------------

    def save_model(self, request, obj, form, change):
        try:
            services.article_save(
                article=obj,
                user=request.user,
                expected_version=form.cleaned_data.get("opened_version") if change else None,
                tags=form.cleaned_data.get("tags"),
            )
        except services.StaleArticleError as exc:
            # The form check locks the row, so this only happens without one (SQLite races).
            raise PermissionDenied(str(exc)) from exc

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change and not article.authors.exists():
            profile = Author.objects.filter(user=request.user).first()
            if profile is not None and not services.article_can_publish(request.user):
                article.authors.add(profile)
        if reversion.is_active():
            # The revision keeps the article as it ends up: its tags (written in bulk, without
            # signals, for a new article), byline and provenance included.
            reversion.add_to_revision(article)

    def delete_model(self, request, obj):
        services.article_delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article, user=request.user)

    # --- Columns -----------------------------------------------------------------------------

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

    # --- Bulk actions (each needs the publish permission; each save goes through services) ---

    def _apply(self, request, queryset, verb, change):
        done = 0
        for article in queryset:
            try:
                with transaction.atomic():
                    change(article)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(
                    request,
                    f"“{article}” was not {verb}: {'; '.join(_messages(exc))}",
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} article(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            "published",
            lambda a: services.article_publish(article=a, user=request.user),
        )

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._apply(
            request,
            queryset,
            "unpublished",
            lambda a: services.article_unpublish(article=a, user=request.user),
        )

    @admin.action(description="Feature selected articles on the home page", permissions=["publish"])
    def feature(self, request, queryset):
        self._apply(
            request,
            queryset,
            "featured",
            lambda a: services.article_feature(article=a, user=request.user),
        )

    @admin.action(description="Stop featuring selected articles", permissions=["publish"])
    def unfeature(self, request, queryset):
        self._apply(
            request,
            queryset,
            "unfeatured",
            lambda a: services.article_feature(article=a, featured=False, user=request.user),
        )

    # Issue 16: a preview link sent to the wrong person can be taken back.
    @admin.action(description="Revoke preview links of selected articles", permissions=["change"])
    def revoke_previews(self, request, queryset):
        done = 0
        for article in queryset:
            if self.has_change_permission(request, article):
                services.article_preview_revoke(article=article)
                done += 1
        self.message_user(request, f"{done} article(s): preview links revoked.", messages.SUCCESS)

    @admin.action(description="Move selected articles to a category…", permissions=["publish"])
    def move_to_category(self, request, queryset):
        form = MoveToCategoryForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            category = form.cleaned_data["category"]
            self._apply(
                request,
                queryset,
                f"moved to {category}",
                lambda a: services.article_move(article=a, category=category, user=request.user),
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/article/move_to_category.html",
            {
                **self.admin_site.each_context(request),
                "title": "Move articles to a category",
                "opts": self.model._meta,
                "form": form,
                "articles": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # --- Preview, view on site, compare ------------------------------------------------------

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id)
        if article is not None and not article.is_public:
            extra_context["preview_url"] = request.build_absolute_uri(preview_url(article))
        return super().change_view(request, object_id, form_url, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a revision rewrites the row with the old copy, whose version field is
        # not kept; remember the real one so the counter never goes back.
        request.article_version = (
            Article.objects.filter(pk=unquote(object_id)).values_list("version", flat=True).first()
        )
        request.article_restored_version_id = version_id
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        floor = getattr(request, "article_version", None)
        if article is not None and floor:
            article.version = max(article.version, floor)
        restored = getattr(request, "article_restored_version_id", None)
        if article is not None and restored:
            # Runs after reversion put the old copy back, in the same transaction.
            tags_relink_deleted(article, Version.objects.get(pk=restored).revision)
        return article

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/<int:version_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id, version_id):
        """What changed between an earlier revision and the article as it is now."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(article).select_related("revision__user"),
            pk=version_id,
        )
        old = version.field_dict
        rows = []
        for field in Article._meta.concrete_fields:
            if field.attname not in old or not field.editable:
                continue
            before, after = old[field.attname], getattr(article, field.attname)
            if str(before or "") == str(after or ""):
                continue
            diff = difflib.HtmlDiff(wrapcolumn=70).make_table(
                str(before or "").splitlines() or [""],
                str(after or "").splitlines() or [""],
                "that revision",
                "now",
                context=True,
                numlines=1,
            )
            rows.append((field.verbose_name, diff))
        for label, before, after in [
            ("tags", _revision_tag_names(version), sorted(article.tags.names())),
            (
                "authors",
                list(
                    Author.objects.filter(pk__in=old.get("authors", [])).values_list(
                        "name", flat=True
                    )
                ),
                [author.name for author in article.authors.all()],
            ),
        ]:
            if before != after:
                diff = difflib.HtmlDiff(wrapcolumn=70).make_table(
                    before or [""], after or [""], "that revision", "now"
                )
                rows.append((label, diff))
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Changes to “{article}” since "
                f"{version.revision.date_created:%Y-%m-%d %H:%M}",
                "opts": self.model._meta,
                "original": article,
                "version": version,
                "rows": rows,
                "restore_url": reverse(
                    "admin:articles_article_revision", args=[article.pk, version.pk]
                ),
            },
        )


def _revision_tag_names(version):
    """The names of the tags *version*'s revision kept (each link's description)."""
    links = version.revision.version_set.get_for_model(TaggedArticle)
    return sorted(links.values_list("object_repr", flat=True))


def tags_relink_deleted(article, revision):
    """After *revision* was put back: a tag deleted since then left its link to *article*
    pointing nowhere (the database would refuse the commit). Link the tag of the same name
    instead, made again if need be; the revision keeps the name as the link's description."""
    dangling = list(
        TaggedArticle.objects.filter(content_object=article).exclude(
            Exists(Tag.objects.filter(pk=OuterRef("tag_id")))
        )
    )
    if not dangling:
        return
    names = dict(
        revision.version_set.get_for_model(TaggedArticle).values_list("object_id", "object_repr")
    )
    for link in dangling:
        name = names.get(str(link.pk), "").strip()
        tag = Tag.objects.filter(name__iexact=name).first() if name else None
        if name and tag is None:
            tag = Tag.objects.create(name=name)
        if tag is None or TaggedArticle.objects.filter(content_object=article, tag=tag).exists():
            link.delete()
        else:
            link.tag = tag
            link.save(update_fields=["tag"])


def _messages(exc):
    return getattr(exc, "messages", None) or [str(exc)]


class MoveToCategoryForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.select_related("parent"))


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
