"""URL wiring: the admin (at settings.ADMIN_URL), sign-in, and the public site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("articles.urls")),
]

# Renders without the database (and answers 503 when the database is the cause).
handler500 = "digest.views.server_error"
