"""The newsletter in the admin: subscribers (counts, search, CSV export and import) and
issues (assemble, reorder, introduce, preview, test, send now or schedule; figures after)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

from . import services
from .addresses import address_normalize
from .models import Delivery, Issue, IssueItem, Subscriber
from .rendering import issue_articles, issue_render, message_build

# The preview frames show the e-mail as a mail client does: its inline styles, its images
# (absolute URLs, possibly on another host), framed by the admin's own preview page only.
PREVIEW_CSP = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "https:", "http:"],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.NONE],
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A column “email” (or addresses in the first column), UTF-8. Addresses that "
        "unsubscribed or bounced stay so.",
    )


class SubscriberAdminForm(forms.ModelForm):
    email = forms.CharField(label="e-mail address", max_length=400)

    class Meta:
        model = Subscriber
        fields = ["email", "status", "categories", "origin"]

    def clean_email(self):
        # The same normalising and refusals as the subscribe form (IDNA, no line breaks…).
        return address_normalize(self.cleaned_data["email"])


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    form = SubscriberAdminForm
    list_display = ["email", "status", "edition_display", "origin", "created_at", "confirmed_at"]
    list_filter = ["status", "origin", "categories"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    filter_horizontal = ["categories"]
    readonly_fields = ["confirmed_at", "unsubscribed_at", "unsubscribed_by_issue", "bounced_at",
                       "bounce_reason"]  # fmt: skip
    actions = ["export_csv"]
    change_list_template = "admin/newsletter/subscriber/change_list.html"
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description="edition")
    def edition_display(self, obj):
        return obj.edition

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (Subscriber.Status(status).label, count)
                for status, count in Subscriber.objects.counts_by_status().items()
            ],
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description="Export the selected subscribers as CSV")
    def export_csv(self, request, queryset):
        return self._csv_response(queryset)

    @staticmethod
    def _csv_response(queryset):
        response = StreamingHttpResponse(
            services.subscribers_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        return response

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="newsletter_subscriber_import"),
            path("export/", view(self.export_view), name="newsletter_subscriber_export"),
            *super().get_urls(),
        ]  # fmt: skip

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self._csv_response(changelist.get_queryset(request))

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", "The file is not UTF-8 text: save it as “CSV UTF-8”.")
            else:
                report = services.subscriber_import(data=text)
                messages.success(
                    request,
                    f"Imported {report['added']:,} new subscribers; {report['known']:,} were "
                    f"already on the list, {report['kept_unsubscribed']:,} had unsubscribed or "
                    f"bounced and stay so, {len(report['invalid']):,} lines were not addresses.",
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import subscribers",
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/newsletter/subscriber/import.html", context)


class IssueItemInline(admin.TabularInline):
    model = IssueItem
    extra = 1
    fields = ["position", "section", "article"]
    autocomplete_fields = ["article"]
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


class IssueAdminForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["date", "subject", "intro", "send_at"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueAdminForm
    list_display = ["date", "__str__", "state", "send_at", "sent", "failed", "unsubscribes"]
    list_filter = ["status"]
    search_fields = ["subject", "intro"]
    date_hierarchy = "date"
    inlines = [IssueItemInline]
    change_form_template = "admin/newsletter/issue/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_figures()

    def get_fields(self, request, obj=None):
        return ["date"] if obj is None else ["date", "subject", "intro", "send_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status in {Issue.Status.SENDING, Issue.Status.SENT}:
            return ["date", "subject", "intro", "send_at"]
        return ["date"] if obj is not None else []

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status in {Issue.Status.SENDING, Issue.Status.SENT}:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="state")
    def state(self, obj):
        label = obj.get_status_display()
        if obj.waiting_reason:
            return format_html("{}<br><small>{}</small>", label, obj.waiting_reason)
        return label

    @admin.display(description="sent")
    def sent(self, obj):
        return obj.sent_count

    @admin.display(description="failed")
    def failed(self, obj):
        return obj.failed_count

    @admin.display(description="unsubscribes caused")
    def unsubscribes(self, obj):
        return obj.unsubscribe_count

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new issue is assembled from what was published since the last one.
        assembled = services.issue_assemble(day=obj.date)
        obj.pk = assembled.pk
        obj.refresh_from_db()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="newsletter_issue_preview"),
            path(
                "<int:pk>/preview/email/",
                view(self.preview_email_view),
                name="newsletter_issue_preview_email",
            ),
            path("<int:pk>/send/", view(self.send_view), name="newsletter_issue_send"),
            *super().get_urls(),
        ]  # fmt: skip

    def _issue(self, request, pk):
        issue = get_object_or_404(Issue.objects.with_figures(), pk=pk)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = Issue.objects.with_figures().filter(pk=object_id).first()
        extra_context = {
            **(extra_context or {}),
            "issue": issue,
            "can_send": request.user.has_perm(services.SEND_PERMISSION),
            "delivery_counts": [
                (Delivery.Status(row["status"]).label, row["n"])
                for row in Delivery.objects.filter(issue=issue).order_by().values("status")
                .annotate(n=Count("pk"))
            ] if issue else [],
        }  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    def preview_view(self, request, pk):
        """The e-mail at desktop and mobile width, and its plain text."""
        issue = self._issue(request, pk)
        rendered = issue_render(issue, issue_articles(issue))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Preview: {issue}",
            "issue": issue,
            "text": rendered.text,
            "size": len(rendered.html.encode()),
            "original": issue,
        }
        return TemplateResponse(request, "admin/newsletter/issue/preview.html", context)

    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp_override(PREVIEW_CSP))
    def preview_email_view(self, request, pk):
        """The e-mail's HTML part alone, for the preview's frames (as a mail client shows it:
        its own inline styles, no site stylesheet)."""
        issue = self._issue(request, pk)
        reader = Subscriber(pk=0, email=request.user.email or "editor@example.com")
        message = message_build(
            rendered=issue_render(issue, issue_articles(issue)), issue=issue, subscriber=reader
        )
        html = message.alternatives[0].content
        return HttpResponse(html, content_type="text/html; charset=utf-8")

    def send_view(self, request, pk):
        """POST only: "test" (to the editor), "now", "schedule" (at send_at), "unschedule"."""
        issue = self._issue(request, pk)
        if request.method != "POST":
            return redirect(reverse("admin:newsletter_issue_change", args=[issue.pk]))
        action = request.POST.get("action")
        try:
            if action == "test":
                to = request.POST.get("to") or request.user.email
                services.issue_send_test(issue=issue, to=to, user=request.user)
                messages.success(request, f"A test of “{issue}” went to {to}.")
            elif action == "now":
                services.issue_send(issue=issue, user=request.user)
                messages.success(request, f"“{issue}” is being sent.")
            elif action == "schedule":
                services.issue_schedule(issue=issue, at=issue.send_at, user=request.user)
                when = timezone.localtime(issue.send_at)
                messages.success(request, f"“{issue}” goes out on {when:%B %d at %H:%M}.")
            elif action == "unschedule":
                services.issue_unschedule(issue=issue, user=request.user)
                messages.success(request, f"“{issue}” is a draft again.")
            else:
                messages.error(request, "Unknown action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("admin:newsletter_issue_change", args=[issue.pk]))


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subscriber", "issue", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "issue"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber", "issue"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
