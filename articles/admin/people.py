"""What the author and source admins share (issue 19): a translator may add authors and
outlets (an editor merges duplicates later), and an editor merges them from the change list."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from .. import services


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The others are folded into this one and deleted; their pages redirect here.",
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = queryset


def merge_action(merge, noun):
    """A change-list action merging the selected rows through *merge* (a service taking
    ``keep``, ``duplicates`` and ``user``), after a page asking which one stays."""

    @admin.action(description=f"Merge selected {noun}s into one…", permissions=["publish"])
    def action(modeladmin, request, queryset):
        rows = list(queryset)
        if len(rows) < 2:
            modeladmin.message_user(
                request, f"Select two or more {noun}s to merge.", messages.WARNING
            )
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, queryset=queryset)
        if form.is_bound and form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                merge(keep=keep, duplicates=rows, user=request.user)
            except PermissionDenied as error:
                modeladmin.message_user(request, str(error), messages.ERROR)
                return None
            modeladmin.message_user(
                request, f"{len(rows) - 1} {noun}(s) merged into “{keep}”.", messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/merge.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": f"Merge {noun}s",
                "opts": modeladmin.model._meta,
                "form": form,
                "rows": rows,
                "noun": noun,
                "action_name": request.POST.get("action"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    action.__name__ = f"merge_{noun.replace(' ', '_')}s"
    return action


class PublishPermissionMixin:
    def has_publish_permission(self, request):
        return services.article_can_publish(request.user)
