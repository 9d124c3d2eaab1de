"""Articles: the newsroom's main screen.

ArticleAdmin holds the declarations, the role hooks and the saving through the services; the
change list's machinery (changelist.py), the form (forms.py), the bulk actions (actions.py),
the computed columns (columns.py) and the revision compare and restore (history.py) have
modules of their own.
"""

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.checks import ModelAdminChecks
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from reversion.admin import VersionAdmin

from .. import services
from ..models import Article, Author, Translation
from ..preview import preview_url
from . import actions as bulk_actions
from . import desk
from .changelist import ArticleChangeList, ArticleSearchMixin, CappedCountPaginator
from .columns import ArticleColumnsMixin
from .filters import AutocompleteRelatedFilter, TagFilter, TranslatedFilter
from .forms import ArticleAdminForm, BylineField, BylineWidget, ProvenanceForm
from .history import ArticleHistoryMixin
from .together import ArticleTogetherMixin


class TranslationInline(admin.StackedInline):
    model = Translation
    form = ProvenanceForm
    autocomplete_fields = ["source", "original_author", "translator"]
    extra = 0
    max_num = 1
    verbose_name = "provenance (translated or reprinted from)"

    # --- Credit (issue 19): the form is there to fill in, the translator credited ---------

    def get_extra(self, request, obj=None, **kwargs):
        # A blank provenance form, ready for a translation, where there is none yet.
        has_one = obj is not None and Translation.objects.filter(article=obj).exists()
        return 0 if has_one else 1


class ArticleAdminChecks(ModelAdminChecks):
    """Django's checks refuse a many-to-many with a model of its own (the byline's `Byline`,
    for its order) in the fieldsets, as the admin would not save it; here the form's field
    (`BylineField`) and `services.article_save` do."""

    def _check_field_spec_item(self, obj, field_name, label):
        if field_name == "authors":
            return []
        return super()._check_field_spec_item(obj, field_name, label)


@admin.register(Article)
class ArticleAdmin(
    ArticleTogetherMixin, ArticleHistoryMixin, ArticleSearchMixin, ArticleColumnsMixin, VersionAdmin
):
    checks_class = ArticleAdminChecks
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    list_display = [
        "title", "status_label", "category", "byline", "published_at", "is_featured", "thumbnail",
        "headline_needs_editor",  # issue 18: a headline the importer made from the text
    ]  # fmt: skip
    list_filter = [
        "status", "category", ("authors", AutocompleteRelatedFilter), TranslatedFilter,
        ("translation__source", AutocompleteRelatedFilter), "is_featured", "language",
        "published_at", TagFilter,
        "headline_needs_editor",
    ]  # fmt: skip
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
        bulk_actions.publish, bulk_actions.unpublish, bulk_actions.feature,
        bulk_actions.unfeature, bulk_actions.move_to_category, bulk_actions.revoke_previews,
    ]  # fmt: skip
    readonly_fields = ["word_count", "reading_minutes", "image_preview", "last_change"]
    # The shape of an article editor (issue 19): the text in the main column; publishing,
    # the byline and place, the image and (below them) the provenance in a sidebar
    # ("desk-side", laid out by templates/admin/articles/article/change_form.html).
    fieldsets = [
        ("Content", {"fields": [
            "title", "slug", "standfirst", "body", ("word_count", "reading_minutes"),
            "opened_version", "opened_fingerprints",
        ]}),
        ("SEO", {
            "classes": ["collapse"], "fields": ["seo_title", "seo_description", "canonical_url"],
        }),
        ("Publishing", {
            "classes": ["desk-side", "desk-publishing"],
            "fields": ["status", "published_at", "is_featured", "last_change"],
        }),
        ("Byline and place", {
            "classes": ["desk-side"], "fields": ["category", "authors", "tags", "language"],
        }),
        ("Featured image", {"classes": ["desk-side"], "fields": [
            "featured_image", "image_preview", "image_alt", "image_caption", "image_credit",
        ]}),
    ]  # fmt: skip

    class Media:
        js = [
            "articles/admin/urlify.js", "articles/admin/desk.js", "articles/admin/together.js",
            "articles/admin/byline_order.js",
        ]  # fmt: skip
        css = {"all": ["articles/admin/admin.css", "articles/admin/desk.css"]}

    @property
    def media(self):
        # The change list's long filters as autocompletes (AutocompleteRelatedFilter), with
        # the same jQuery and Select2 files as the form's autocompletes (one copy of each).
        extra = "" if settings.DEBUG else ".min"
        own = forms.Media(js=self.Media.js, css=self.Media.css)
        return (
            super().media
            + own
            + forms.Media(
                js=[
                    f"admin/js/vendor/jquery/jquery{extra}.js",
                    f"admin/js/vendor/select2/select2.full{extra}.js",
                    "admin/js/jquery.init.js",
                    "articles/admin/filter_autocomplete.js",
                ],
                css={
                    "screen": [
                        f"admin/css/vendor/select2/select2{extra}.css",
                        "admin/css/autocomplete.css",
                    ]
                },
            )
        )

    # --- Roles -------------------------------------------------------------------------------

    def has_publish_permission(self, request):
        return services.article_can_publish(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("authors")
        if not services.article_can_publish(request.user):
            queryset = queryset.filter(services.articles_owned_filter(request.user))
        return queryset

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.can_add_tags = request.user.has_perm("articles.add_tag")  # a class per request
        form.can_publish = services.article_can_publish(request.user)
        form.autosave_initial = self.autosaved_initial(request, obj)
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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name != "authors":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        # The byline has a model of its own (its order), which Django's admin leaves out of
        # forms; it stays one autocomplete, in the order the editor chooses (issue 16).
        kwargs.setdefault(
            "widget", BylineWidget(db_field, self.admin_site, using=kwargs.get("using"))
        )
        kwargs["form_class"] = BylineField
        return db_field.formfield(**kwargs)

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
        action = form.cleaned_data.get("publish_action") or ""
        authors = form.cleaned_data.get("authors") if "authors" in form.cleaned_data else None
        if not change and not authors and not services.article_can_publish(request.user):
            # A translator's new piece is bylined with their profile (issue 19).
            profile = Author.objects.filter(user=request.user).first()
            authors = [profile] if profile is not None else authors
        try:
            services.article_save(
                article=obj,
                user=request.user,
                expected_version=form.cleaned_data.get("opened_version") if change else None,
                authors=authors,
                tags=form.cleaned_data.get("tags"),
            )
        except services.StaleArticleError as exc:
            # The form check locks the row, so this only happens without one (SQLite races).
            raise PermissionDenied(str(exc)) from exc
        request.desk_message = desk.saved_message(obj, action)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if reversion.is_active():
            # The revision keeps the article as it ends up: its tags (written in bulk, without
            # signals, for a new article), byline and provenance included.
            reversion.add_to_revision(article)

    def delete_model(self, request, obj):
        services.article_delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article, user=request.user)

    # --- Credit (issue 19): a new piece is bylined with its writer's profile ----------------

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = Author.objects.filter(user=request.user).values_list("pk", flat=True).first()
        if profile is not None:
            initial.setdefault("authors", [profile])
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, TranslationInline) and not services.article_can_publish(request.user):
            # A translator's translation credits them unless they say otherwise.
            profile = Author.objects.filter(user=request.user).values_list("pk", flat=True)
            if profile.first() is not None:
                kwargs["initial"] = [{"translator": profile.first()}]
        return kwargs

    # --- Preview and view on site ------------------------------------------------------------

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    # --- The desk's form (issue 19): buttons by role, what they did ---------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        can_publish = services.article_can_publish(request.user)
        form = context["adminform"].form
        context["desk_buttons"] = desk.buttons(obj, can_publish=can_publish)
        context["desk_state"] = desk.state_line(obj)
        context["desk_conflict"] = getattr(form, "conflict", None)
        context["desk_time_zone"] = settings.TIME_ZONE
        context.update(self.together_context(request, obj))
        if obj is not None and obj.pk and not obj.is_public:
            # The article the form already read (a second read only for this cost a query).
            context["preview_url"] = request.build_absolute_uri(preview_url(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        said = getattr(request, "desk_message", "")
        if said and level == messages.SUCCESS:
            message = said
        return super().message_user(request, message, level, *args, **kwargs)
