"""URL wiring: the admin (at settings.ADMIN_URL), sign-in, and the public site."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles import sitemaps, views
from digest.accounts import RateLimitedPasswordResetForm

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # Issue 16: reset mail to one address is rate-limited (before Django's own URL).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=RateLimitedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # Public site (issue 3): crawler files, then the pages.
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("news-sitemap.xml", sitemaps.news, name="sitemap_news"),
    # The Daily Digest by e-mail (issue 20): before the articles' /<category>/<slug>/.
    path("", include("newsletter.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # Uploaded images on a local run; in production the web server or S3 serves them.
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

# Renders without the database (and answers 503 when the database is the cause).
handler500 = "digest.views.server_error"

if settings.DIGEST_BENCH_VIEWS:
    urlpatterns.insert(0, path("", include("bench.urls")))
