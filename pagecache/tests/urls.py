"""Pages the page cache's own tests serve: a list of groups (a model no project rule watches,
so each test registers its own) with a fragment kept per content version."""

from django.contrib.auth.models import Group
from django.contrib.messages import info
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from pagecache.fragments import versioned

COMPUTED = []


def groups(request):
    def footer():
        COMPUTED.append(request.path)
        return f"<footer>{Group.objects.count()} groups</footer>"

    names = ", ".join(Group.objects.order_by("name").values_list("name", flat=True))
    return HttpResponse(f"<p>Groups: {names}</p>{versioned(request, 'footer', footer)}")


def with_cookie(request):
    return HttpResponse(f"<form>{get_token(request)}</form>")


def with_message(request):
    info(request, "Saved.")
    return HttpResponse("<p>message</p>")


def private(request):
    response = HttpResponse("<p>mine</p>")
    response["Cache-Control"] = "private"
    return response


urlpatterns = [
    path("groups/", groups, name="groups"),
    path("cookie/", with_cookie),
    path("message/", with_message),
    path("private/", private),
    path("skip/groups/", groups),
]
