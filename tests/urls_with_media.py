"""The site's URLs plus its uploaded files, for browser tests that show pictures (outside
DEBUG, Django serves no media; production's web server or S3 does)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from digest.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
