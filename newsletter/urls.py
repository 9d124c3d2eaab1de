from django.urls import path

from . import feeds, views

app_name = "newsletter"

urlpatterns = [
    path("newsletter/subscribe/", views.subscribe, name="subscribe"),
    path("newsletter/check-your-inbox/", views.CheckInboxView.as_view(), name="check_inbox"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/preferences/<str:token>/", views.preferences, name="preferences"),
    path("digest/feed/", feeds.IssuesFeed(), name="feed"),
    path("digest/<str:day>/", views.issue_detail, name="issue"),
    path("digest/<str:day>/feed/", feeds.IssueFeed(), name="issue_feed"),
]
