"""URL wiring: the admin (at settings.ADMIN_URL), sign-in, and the public site."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles import accounts, sitemaps, views
from digest import views as digest_views
from digest.accounts import RateLimitedPasswordResetForm

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # Password reset (before Django's own URL): the e-mail's link on the host the reader
    # asked for (not example.com), and mail to one address rate-limited.
    path(
        "accounts/password_reset/",
        accounts.PasswordResetView.as_view(form_class=RateLimitedPasswordResetForm),
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
    # Issue 18: the designed error pages while DEBUG is on (/404/, /500/; a 404 otherwise).
    path("<int:status>/", digest_views.error_page, name="error_page"),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # Uploaded images on a local run; in production the web server or S3 serves them.
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

# Renders without the database (and answers 503 when the database is the cause).
handler500 = "digest.views.server_error"

if settings.DIGEST_BENCH_VIEWS:
    urlpatterns.insert(0, path("", include("bench.urls")))
