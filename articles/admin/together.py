"""Working together on one article (issue 19): the change form's private autosave and the soft
editing lock, as small JSON endpoints the form's static JS (static/articles/admin/together.js)
calls. Autosaves are not revisions and no reader's cached page depends on them."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import services


def _person(user):
    return user.get_full_name() or user.get_username()


def lock_state(lock, user):
    """What the form shows of *lock* to *user*."""
    if lock is None:
        return {"holder": "", "you": True}
    return {
        "holder": _person(lock.user),
        "since": f"{timezone.localtime(lock.since):%H:%M}",
        "you": lock.user_id == user.pk,
    }


class ArticleTogetherMixin:
    """For ArticleAdmin: autosave and presence endpoints, and what the form shows of them."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "autosave/",
                view(require_POST(self.autosave_view)),
                name="articles_article_autosave_new",
            ),
            path(
                "<path:object_id>/autosave/",
                view(require_POST(self.autosave_view)),
                name="articles_article_autosave",
            ),
            path(
                "<path:object_id>/presence/",
                view(require_POST(self.presence_view)),
                name="articles_article_presence",
            ),
            *super().get_urls(),
        ]

    def _article_for(self, request, object_id):
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def autosave_view(self, request, object_id=None):
        """Keep the posted form fields as the user's private autosave of the article."""
        article = self._article_for(request, object_id)
        if request.POST.get("discard"):
            services.autosave_discard(user=request.user, article=article)
            return JsonResponse({"discarded": True})
        version = request.POST.get("opened_version")
        autosave = services.autosave_store(
            user=request.user,
            article=article,
            data=request.POST,
            opened_version=int(version) if version and version.isdigit() else None,
        )
        return JsonResponse({"saved_at": f"{timezone.localtime(autosave.saved_at):%H:%M:%S}"})

    def presence_view(self, request, object_id):
        """The heartbeat of an open form: keep (or take over, or release) the editing lock."""
        article = self._article_for(request, object_id)
        if request.POST.get("release"):
            services.lock_release(article=article, user=request.user)
            return JsonResponse({"released": True})
        lock = services.lock_heartbeat(
            article=article, user=request.user, take_over=bool(request.POST.get("take_over"))
        )
        return JsonResponse(lock_state(lock, request.user))

    # --- What the change form shows ----------------------------------------------------------

    def together_context(self, request, obj):
        """The autosave to restore and the lock, for the form (and its JS, as data attributes)."""
        autosave = services.autosave_pending(user=request.user, article=obj)
        context = {
            "desk_autosave": autosave,
            "desk_autosave_url": reverse("admin:articles_article_autosave", args=[obj.pk])
            if obj is not None
            else reverse("admin:articles_article_autosave_new"),
            "desk_autosave_seconds": settings.DIGEST_AUTOSAVE_SECONDS,
            "desk_heartbeat_seconds": settings.DIGEST_PRESENCE_HEARTBEAT_SECONDS,
        }
        if obj is not None and obj.pk:
            lock = services.lock_heartbeat(article=obj, user=request.user)
            context["desk_lock"] = lock_state(lock, request.user)
            context["desk_presence_url"] = reverse("admin:articles_article_presence", args=[obj.pk])
        return context

    def autosaved_initial(self, request, obj):
        """The autosaved fields to show in place of the stored ones, when there are any."""
        if request.method != "GET":
            return {}
        autosave = services.autosave_pending(user=request.user, article=obj)
        return dict(autosave.data) if autosave is not None else {}
