"""Feeds of the e-mailed digest: the latest issues, and each issue's stories."""

from django.contrib.syndication.views import Feed
from django.utils import timezone

from .models import Issue
from .rendering import issue_articles
from .views import _issue_of


class IssuesFeed(Feed):
    title = "The Daily Digest"
    description = "Each morning's issue of the Daily Digest."

    def link(self):
        return "/"

    def items(self):
        return Issue.objects.public().order_by("-date")[:20]

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        return item.intro

    def item_pubdate(self, item):
        return item.started_at


class IssueFeed(Feed):
    """The stories of one issue (/digest/<date>/feed/)."""

    def get_object(self, request, day):
        return _issue_of(day)

    def title(self, obj):
        return str(obj)

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.intro or f"The stories of {obj}."

    def items(self, obj):
        return issue_articles(obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return timezone.localtime(item.published_at)
