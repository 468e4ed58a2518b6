"""Sitemaps: every published article and every listing page that has articles."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Subquery
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


class ListingSitemap(Sitemap):
    """Section, tag and municipality pages that have public articles, dated by the newest."""

    model = None
    article_field = ""  # the Article field that points at `model`
    changefreq = "daily"

    def items(self):
        public = Article.objects.published().filter(**{self.article_field: OuterRef("pk")})
        newest = public.order_by("-published_at").values("published_at")[:1]
        return (
            self.model.objects.filter(Exists(public))
            .annotate(newest=Subquery(newest))
            .order_by("slug")
            .only("slug")
        )

    def lastmod(self, obj):
        return obj.newest


class SectionSitemap(ListingSitemap):
    model = Section
    article_field = "section"


class TagSitemap(ListingSitemap):
    model = Tag
    article_field = "tags"


class MunicipalitySitemap(ListingSitemap):
    model = Municipality
    article_field = "municipalities"


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
