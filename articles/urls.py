from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("source/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("<slug:category>/<slug:slug>/", views.article_detail, name="detail"),
]
