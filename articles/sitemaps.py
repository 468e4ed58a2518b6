"""Sitemaps: every published article and every listing page that has articles."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.models import Article, Municipality, Section, Tag


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000  # parts stay small and fast; the index lists them

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "updated_at", "published_at")
            .order_by("-published_at", "pk")
        )

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item: 100,000 rows for the index.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ListingSitemap(Sitemap):
    """Section, tag and municipality pages that have public articles, dated by the newest.

    Grouped from the article side: the cost follows the public articles, not the 12,000
    register entries of which most have none.
    """

    model = None
    articles_lookup = ""  # from `model` to Article
    changefreq = "daily"

    def items(self):
        published = Article.objects.published().values("pk")
        return (
            self.model.objects.filter(**{f"{self.articles_lookup}__in": published})
            .annotate(newest=Max(f"{self.articles_lookup}__published_at"))
            .order_by("slug")
            .only("slug")
        )

    def lastmod(self, obj):
        return obj.newest

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("newest"))["latest"]


class SectionSitemap(ListingSitemap):
    model = Section
    articles_lookup = "articles"


class TagSitemap(ListingSitemap):
    model = Tag
    articles_lookup = "tagged_articles__content_object"


class MunicipalitySitemap(ListingSitemap):
    model = Municipality
    articles_lookup = "articles"


class StaticPageSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return ["articles:list", "articles:imprint"]

    def location(self, name):
        return reverse(name)


class ArchiveSitemap(Sitemap):
    """The yearly archive pages that have public articles."""

    changefreq = "monthly"

    def items(self):
        return [day.year for day in Article.objects.published().dates("published_at", "year")]

    def location(self, year):
        return reverse("articles:archive-year", kwargs={"year": year})


SITEMAPS = {
    "seiten": StaticPageSitemap,
    "artikel": ArticleSitemap,
    "bereiche": SectionSitemap,
    "themen": TagSitemap,
    "kommunen": MunicipalitySitemap,
    "archiv": ArchiveSitemap,
}
