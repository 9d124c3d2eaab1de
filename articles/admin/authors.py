"""Authors: people and organisations, optionally linked to a staff account.

Translators may add profiles (their own, ticking "This is me", or a byline's); editors link a
profile to any staff account and merge duplicates (issue 19). Linking needs no permission on
user accounts: the form offers the active staff accounts only."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model

from .. import services
from ..models import Author
from .mixins import PlainNameFormMixin, SummarisedDeleteMixin
from .people import PublishPermissionMixin, merge_action


class AuthorForm(PlainNameFormMixin, forms.ModelForm):
    is_me = forms.BooleanField(
        label="This is me",
        required=False,
        help_text="Link this profile to your account: your new pieces are bylined with it.",
    )

    class Meta:
        model = Author
        fields = ["name", "slug", "kind", "bio", "photo", "website", "user"]


@admin.register(Author)
class AuthorAdmin(PublishPermissionMixin, SummarisedDeleteMixin, admin.ModelAdmin):
    form = AuthorForm
    list_display = ["name", "kind", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    actions = [merge_action(services.author_merge, "author")]

    def get_fields(self, request, obj=None):
        fields = ["name", "slug", "kind", "bio", "photo", "website"]
        if services.article_can_publish(request.user):
            return [*fields, "user"]
        has_profile = Author.objects.filter(user=request.user).exists()
        return [*fields, "is_me"] if obj is None and not has_profile else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
            kwargs["help_text"] = "The staff account that writes as this author, if any."
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("is_me"):
            obj.user = request.user
        previous = Author.objects.filter(pk=obj.pk).values_list("user_id", flat=True).first()
        if obj.user_id and obj.user_id != previous:
            services.author_check_link(user=request.user, account=obj.user, author=obj)
        super().save_model(request, obj, form, change)
