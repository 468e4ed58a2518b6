from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("artikel/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("bereiche/<slug:slug>/", views.SectionArticleListView.as_view(), name="section"),
    path("themen/<slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path(
        "kommunen/<slug:slug>/",
        views.MunicipalityArticleListView.as_view(),
        name="municipality",
    ),
    path("impressum/", views.ImprintView.as_view(), name="imprint"),
]
