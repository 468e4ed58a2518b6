from django.urls import path, re_path

from articles.embeds.views import PlaceEmbedView, TagEmbedView
from articles.public import authors, feeds, front, legal, vendors, views
from articles.public.tools import ArticlePdfView

app_name = "articles"

urlpatterns = [
    path("", front.NewsFrontView.as_view(), name="list"),
    path("artikel/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("artikel/<slug:slug>/druck/", views.ArticlePrintView.as_view(), name="print"),
    path("artikel/<slug:slug>/pdf/", ArticlePdfView.as_view(), name="pdf"),
    path("bereiche/<slug:slug>/", views.SectionArticleListView.as_view(), name="section"),
    path("themen/<slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path(
        "kommunen/<slug:slug>/",
        views.MunicipalityArticleListView.as_view(),
        name="municipality",
    ),
    path("archiv/", views.ArchiveView.as_view(), name="archive"),
    path("archiv/<int:year>/", views.YearArchive.as_view(), name="archive-year"),
    path("archiv/<int:year>/<int:month>/", views.MonthArchive.as_view(), name="archive-month"),
    path("suche/", views.SearchView.as_view(), name="search"),
    path("autoren/", authors.AuthorListView.as_view(), name="authors"),
    path("autoren/<slug:slug>/", authors.AuthorArticleListView.as_view(), name="author"),
    path("impressum/", legal.ImprintView.as_view(), name="imprint"),
    path("datenschutz/", legal.PrivacyView.as_view(), name="privacy"),
    path("barrierefreiheit/", legal.AccessibilityView.as_view(), name="accessibility"),
    # The vendor directory: all Bereiche, one Bereich, one vendor.
    path("anbieter/", vendors.VendorDirectoryView.as_view(), name="vendors"),
    path(
        "anbieter/bereich/<slug:slug>/",
        vendors.SectionVendorListView.as_view(),
        name="vendor-section",
    ),
    path("anbieter/<slug:slug>/", vendors.VendorDetailView.as_view(), name="vendor"),
    # Embeds for other sites' iframes: a place by its official key, or a Thema.
    re_path(
        r"^einbetten/kommune/(?P<ags>[0-9]{2,12})/$",
        PlaceEmbedView.as_view(),
        name="embed-place",
    ),
    path("einbetten/thema/<slug:slug>/", TagEmbedView.as_view(), name="embed-tag"),
    # Feeds: RSS 2.0 and Atom, for everything and per section, tag and municipality.
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("feeds/bereiche/<slug:slug>/rss/", feeds.SectionFeed(), name="section-feed"),
    path("feeds/bereiche/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-feed-atom"),
    path("feeds/themen/<slug:slug>/rss/", feeds.TagFeed(), name="tag-feed"),
    path("feeds/themen/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path(
        "feeds/kommunen/<slug:slug>/rss/",
        feeds.MunicipalityFeed(),
        name="municipality-feed",
    ),
    path(
        "feeds/kommunen/<slug:slug>/atom/",
        feeds.MunicipalityAtomFeed(),
        name="municipality-feed-atom",
    ),
]
