from django.urls import path

from . import feeds, preview, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("source/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("archive/", views.ArchiveIndexView.as_view(), name="archive"),
    path("archive/<int:year>/", views.ArchiveView.as_view(), name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.ArchiveView.as_view(), name="archive_month"),
    path(
        "archive/<int:year>/<int:month>/<int:day>/",
        views.ArchiveView.as_view(),
        name="archive_day",
    ),
    # Feeds: /feeds/rss/, /feeds/atom/, /feeds/category/<slug>/rss/, ...
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.atom(feeds.LatestArticlesFeed)(), name="feed_atom"),
    *(
        path(f"feeds/{kind}/<slug:slug>/{flavour}/", feed, name=f"feed_{kind}_{flavour}")
        for kind, feed_class in feeds.FEEDS.items()
        if kind != "site"
        for flavour, feed in (("rss", feed_class()), ("atom", feeds.atom(feed_class)()))
    ),
    path("preview/<str:token>/", preview.preview, name="preview"),
    # The brand's pictures and the web app manifest (articles/brand.py).
    path("brand/icon-<int:size>.png", views.brand_icon, name="brand_icon"),
    path("brand/share.png", views.brand_share_image, name="brand_share_image"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    # A page's beacon for the most-read lists (POST only; never cached).
    path("read/<int:pk>/", views.article_read, name="read"),
    path("<slug:category>/<slug:slug>/", views.article_detail, name="detail"),
]
