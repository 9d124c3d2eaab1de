from django.urls import path

from . import preview, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("source/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("preview/<str:token>/", preview.preview, name="preview"),
    path("<slug:category>/<slug:slug>/", views.article_detail, name="detail"),
]
