"""The reader's side of the newsletter: subscribe, confirm, unsubscribe (one click, RFC
8058), preferences behind a signed link, and each issue on the site."""

import datetime

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from . import services
from .forms import PreferencesForm, SubscribeForm
from .models import Issue, Subscriber
from .rendering import issue_articles, issue_sections
from .throttle import client_ip, throttle_allows
from .tokens import InvalidLink, subscriber_from_confirm_token, subscriber_from_manage_token


# The subscribe form sits in the footer and under articles of pages that are cached whole;
# a page that set a CSRF cookie would never be stored. The endpoint is exempt: the worst a
# forged POST can do is what anyone can do with the form, have one confirmation e-mail sent
# (throttled per IP and per address), and nothing changes before the link in it is opened.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "GET":
        return render(request, "newsletter/subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    limit, seconds = settings.NEWSLETTER_THROTTLE_PER_IP
    if not throttle_allows("ip", client_ip(request), limit=limit, seconds=seconds):
        return render(request, "newsletter/subscribe.html",
                      {"form": form, "throttled": True}, status=429)  # fmt: skip
    if not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form}, status=400)
    if form.cleaned_data["website"]:
        return redirect("newsletter:check_inbox")  # a bot: the same answer, nothing sent
    email = form.cleaned_data["email"]
    limit, seconds = settings.NEWSLETTER_THROTTLE_PER_ADDRESS
    if throttle_allows("address", email, limit=limit, seconds=seconds):
        services.subscriber_subscribe(email=email, categories=form.cleaned_data["categories"])
    # The same answer for a new, a known and a throttled address: nobody learns who reads.
    return redirect("newsletter:check_inbox")


class CheckInboxView(TemplateView):
    template_name = "newsletter/check_inbox.html"


def _invalid(request):
    return render(request, "newsletter/invalid_link.html", status=404)


@csrf_exempt  # the signed token is the credential; no CSRF cookie on these pages
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners open links; only a person confirms), POST confirms."""
    try:
        subscriber = subscriber_from_confirm_token(token)
    except InvalidLink:
        return _invalid(request)
    if request.method == "POST":
        services.subscriber_confirm(subscriber=subscriber)
        return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


# One-click unsubscribe (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" to the URL
# of the List-Unsubscribe header, with no cookie and no token of ours: the signed link is the
# credential. The page's own button POSTs to the same place.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscriber, issue_id = subscriber_from_manage_token(token)
    except InvalidLink:
        return _invalid(request)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber, issue_id=issue_id)
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


@csrf_exempt  # the signed link is the credential, as for unsubscribing
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    try:
        subscriber, _ = subscriber_from_manage_token(token)
    except InvalidLink:
        return _invalid(request)
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.subscriber_set_preferences(
                subscriber=subscriber,
                categories=form.cleaned_data["categories"],
                paused=form.cleaned_data["paused"],
            )
            saved = True
    else:
        form = PreferencesForm(initial={
            "categories": list(subscriber.categories.all()),
            "paused": subscriber.status == Subscriber.Status.PAUSED,
        })  # fmt: skip
    return render(request, "newsletter/preferences.html", {
        "form": form, "subscriber": subscriber, "saved": saved, "token": token,
    })  # fmt: skip


def _issue_of(day):
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError as error:
        raise Http404("No such date") from error
    return get_object_or_404(Issue.objects.public(), date=date)


def issue_detail(request, day):
    """The digest of that day on the site: what the e-mail held (published pieces only)."""
    issue = _issue_of(day)
    sections = issue_sections(issue_articles(issue))
    public = Issue.objects.public()
    return render(request, "newsletter/issue_detail.html", {
        "issue": issue,
        "sections": sections,
        "intro_paragraphs": [p.strip() for p in issue.intro.split("\n\n") if p.strip()],
        "previous_issue": public.filter(date__lt=issue.date).order_by("-date").first(),
        "next_issue": public.filter(date__gt=issue.date).order_by("date").first(),
    })  # fmt: skip
