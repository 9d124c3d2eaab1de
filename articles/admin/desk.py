"""The change form's publishing buttons (issue 19): which ones an article shows for a role, and
what each confirmation tells the editor readers will see, and when.

Each button posts ``publish_action`` (ArticleAdminForm turns it into a status and a time);
the services refuse what a role may not do whatever is posted.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from ..models import Article


@dataclass(frozen=True)
class Button:
    action: str
    label: str
    kind: str = ""  # "default" (Enter presses it), "publish", "danger"
    confirm: str = ""  # what the confirmation says; "" for none
    title: str = ""


def _confirmations(article):
    where = "on the home page, in its category, in the feeds and the sitemap"
    tz = settings.TIME_ZONE
    return {
        "publish": (
            f"Readers will see “{{title}}” now, {where}. Its time will read {{now}} ({tz})."
        ),
        "schedule": (
            "Readers will see nothing until {when} (" + tz + "); then “{title}” appears by "
            f"itself, {where}, with nobody pressing anything."
        ),
        "unpublish": (
            "Readers will no longer see “{title}”: its page answers “not found” and it leaves "
            "the lists and feeds at once. Nothing is deleted; you can publish it again."
        ),
    }


def buttons(article, *, can_publish):
    """The buttons for *article* (None for a new one), the first one pressed by Enter."""
    status = article.status if article is not None else Article.Status.DRAFT
    confirm = _confirmations(article)
    publish = Button("publish", "Publish now", "publish", confirm["publish"])
    schedule = Button(
        "schedule",
        "Reschedule…" if article is not None and article.is_scheduled else "Schedule…",
        "publish",
        confirm["schedule"],
        "Choose when readers will see it",
    )
    unpublish = Button("unpublish", "Unpublish", "danger", confirm["unpublish"])
    if not can_publish:
        if status == Article.Status.REVIEW:
            return [Button("save", "Save", "default"), Button("draft", "Back to draft")]
        return [
            Button("draft", "Save draft", "default"),
            Button("review", "Submit for review", "publish", title="The editors are told"),
        ]
    if article is None or status == Article.Status.DRAFT:
        return [
            Button("draft", "Save draft", "default"),
            Button("review", "Submit for review"),
            publish,
            schedule,
        ]
    if status == Article.Status.REVIEW:
        return [
            Button("save", "Save", "default"),
            Button("draft", "Send back to draft", title="The author is told"),
            publish,
            schedule,
        ]
    if status == Article.Status.PUBLISHED and article.is_scheduled:
        return [Button("save", "Update", "default"), publish, schedule, unpublish]
    if status == Article.Status.PUBLISHED:
        return [Button("save", "Update", "default"), unpublish]
    return [Button("save", "Save", "default"), Button("draft", "Back to draft"), publish, schedule]


def state_line(article):
    """One line saying where the article stands, for the publishing box."""
    if article is None or article.pk is None:
        return "New draft: readers see nothing until it is published."
    if article.is_public:
        when = timezone.localtime(article.published_at)
        return f"Published {when:%-d %b %Y, %H:%M}: readers see it."
    if article.is_scheduled:
        when = timezone.localtime(article.published_at)
        return f"Scheduled for {when:%-d %b %Y, %H:%M}: it appears by itself then."
    return {
        Article.Status.DRAFT: "Draft: readers see nothing yet.",
        Article.Status.REVIEW: "In review: waiting for an editor; readers see nothing yet.",
        Article.Status.UNPUBLISHED: "Unpublished: readers no longer see it.",
    }.get(article.status, article.get_status_display())


def saved_message(article, action):
    """What the editor is told after pressing *action*."""
    if action == "publish":
        return f"“{article}” is published: readers see it now."
    if action == "schedule":
        when = timezone.localtime(article.published_at)
        return f"“{article}” is scheduled for {when:%-d %B %Y, %H:%M}: it appears by itself."
    if action == "unpublish":
        return f"“{article}” is unpublished: readers no longer see it."
    if action == "review":
        return f"“{article}” is submitted for review: the editors are told."
    if action == "draft":
        return f"Draft “{article}” saved."
    return ""
