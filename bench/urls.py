"""The benchmark's floor (bench/run.py): a 32 KB template, no database. Only wired in when
``DIGEST_BENCH_VIEWS`` is on."""

from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [
    path(
        "bench/bare/",
        TemplateView.as_view(template_name="bench/bare.html", extra_context={"title": "Bare"}),
    ),
]
