"""The site's URLs plus two pages that must never be stored: one that uses the CSRF token
(a form) and one that shows a message."""

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from digest.urls import urlpatterns as site_urlpatterns


def form_page(request):
    return HttpResponse(f'<form method="post"><input name="csrf" value="{get_token(request)}">')


def message_page(request):
    messages.info(request, "Saved for you only.")
    return HttpResponse("<p>A page that queued a message.</p>")


urlpatterns = [
    path("test-form/", form_page),
    path("test-message/", message_page),
    *site_urlpatterns,
]
