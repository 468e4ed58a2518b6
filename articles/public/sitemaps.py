"""Sitemaps: every published article and every listing page that has articles.

Teaser-only articles (only a related-news link is known, not the text) are left out:
their pages are noindex. The Google News sitemap (NewsSitemap) lists the full
articles of the last two days.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.cache import keys as cache_keys
from articles.models import Article, Municipality, Section, Tag
from articles.site_url import absolute_url, configured_scheme_and_host


class Sitemap(DjangoSitemap):
    """URLs on the canonical site (articles.site_url), not on the request's host."""

    def get_protocol(self, protocol=None):
        configured = configured_scheme_and_host()
        return configured[0] if configured else super().get_protocol(protocol)

    def get_domain(self, site=None):
        configured = configured_scheme_and_host()
        return configured[1] if configured else super().get_domain(site)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 1_000  # parts stay small and fast (rendering costs per URL); the index lists them

    def items(self):
        return (
            Article.objects.published()
            .full()
            .only("slug", "corrected_at", "published_at")
            .order_by("-published_at", "pk")
        )

    def lastmod(self, article):
        return article.modified_at  # the last correction with a notice, or publication

    def get_latest_lastmod(self):
        """The newest publication or public correction, for the index: two index
        lookups (Django's default calls lastmod() on every item)."""
        cache_keys.depends_on(cache_keys.ANY_ARTICLE)  # a correction moves it
        public = Article.objects.published().full().order_by()
        latest = public.aggregate(published=Max("published_at"), corrected=Max("corrected_at"))
        dates = [date for date in latest.values() if date is not None]
        return max(dates) if dates else None


class NewsSitemap(Sitemap):
    """Google News sitemap (sitemap-news 0.9): full articles published in the last two
    days, newest first, at most 1,000 (Google's limits). The template
    (templates/sitemap_news.xml) names the publication after the site identity."""

    limit = 1_000
    window = timedelta(days=2)
    # An empty <urlset> is invalid against the schema: while nothing is recent, the
    # part is left out of the index and robots.txt, and its URL answers 404.
    omit_when_empty = True

    def recent(self):
        since = timezone.now() - self.window
        return Article.objects.published().full().filter(published_at__gte=since)

    def items(self):
        return (
            self.recent()
            .only("slug", "title", "corrected_at", "published_at")
            .order_by("-published_at", "pk")[: self.limit]
        )

    def lastmod(self, article):
        return article.modified_at

    def get_latest_lastmod(self):
        cache_keys.depends_on(cache_keys.ANY_ARTICLE)  # a correction moves it
        latest = (
            self.recent()
            .order_by()
            .aggregate(published=Max("published_at"), corrected=Max("corrected_at"))
        )
        dates = [date for date in latest.values() if date is not None]
        return max(dates) if dates else None


class ListingSitemap(Sitemap):
    """Section, tag and municipality pages that have public articles.

    Found from the article side (public articles joined to their links, one pass): an
    EXISTS per register entry lets SQLite scan the articles 12,000 times. Without
    lastmod: the newest article per page would mean grouping all those links, and the
    article sitemap already tells crawlers what is new.
    """

    model = None
    article_field = ""  # the Article field that points at `model`
    changefreq = "daily"

    def items(self):
        linked = Article.objects.published().values(self.article_field)
        return self.model.objects.filter(pk__in=linked).order_by("slug").only("slug")


class SectionSitemap(ListingSitemap):
    model = Section
    article_field = "section"

    def items(self):
        # A dozen sections: one EXISTS each, on the (section, published_at) index.
        public = Article.objects.published().filter(section=OuterRef("pk"))
        return Section.objects.filter(Exists(public)).order_by("slug").only("slug")


class TagSitemap(ListingSitemap):
    model = Tag
    article_field = "tags"


class MunicipalitySitemap(ListingSitemap):
    """Places with public articles, and the places above them: a Kreis's or a Land's
    page gathers the news of everything below it (ArticleQuerySet.about_place)."""

    model = Municipality
    article_field = "municipalities"

    def items(self):
        linked = Article.objects.published().values(self.article_field)
        with_news = Municipality.objects.filter(pk__in=linked)
        above = (
            with_news.values("parent"),
            with_news.values("parent__parent"),
            with_news.values("land"),
        )
        wanted = Q(pk__in=linked)
        for ids in above:
            wanted |= Q(pk__in=ids)
        return Municipality.objects.filter(wanted).order_by("slug").only("slug")


class StaticPageSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return [
            "articles:list",
            "articles:archive",
            "articles:authors",
            "articles:vendors",
            "articles:imprint",
            "articles:privacy",
            "articles:accessibility",
        ]

    def location(self, name):
        return reverse(name)


class ArchiveSitemap(Sitemap):
    """The yearly archive pages that have public articles."""

    changefreq = "monthly"

    def items(self):
        # One indexed EXISTS per year: DISTINCT over the years of every article is a scan.
        published = Article.objects.published()
        bounds = published.aggregate(first=Min("published_at"), last=Max("published_at"))
        if bounds["first"] is None:
            return []
        first, last = (timezone.localtime(bounds[key]).year for key in ("first", "last"))
        return [
            year
            for year in range(last, first - 1, -1)
            if published.filter(published_at__year=year).exists()
        ]

    def location(self, year):
        return reverse("articles:archive-year", kwargs={"year": year})


SITEMAPS = {
    "seiten": StaticPageSitemap,
    "artikel": ArticleSitemap,
    "bereiche": SectionSitemap,
    "themen": TagSitemap,
    "kommunen": MunicipalitySitemap,
    "archiv": ArchiveSitemap,
    # Served by its own URL pattern with the news template (newsroom/urls.py).
    "news": NewsSitemap,
}


@x_robots_tag
def index(request, sitemaps=SITEMAPS, sitemap_url_name="sitemap-section"):
    """The sitemap index, as Django's, but with the parts' URLs on the canonical site.

    Django's index view builds them from the request's host.
    """
    items = []
    latest = None
    every_part_dated = True
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        url = absolute_url(request, reverse(sitemap_url_name, kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        if lastmod is None and getattr(sitemap, "omit_when_empty", False):
            continue
        if lastmod is None:
            every_part_dated = False
        elif latest is None or lastmod > latest:
            latest = lastmod
        items.append(SitemapIndexItem(url, lastmod))
        items += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    headers = (
        {"Last-Modified": http_date(latest.timestamp())} if every_part_dated and latest else None
    )
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
        headers=headers,
    )


def news_sitemap(request):
    """The Google News part; 404 while no full article is younger than two days."""
    if not NewsSitemap().recent().exists():
        raise Http404("Keine Artikel der letzten zwei Tage.")
    return sitemap_views.sitemap(
        request, sitemaps=SITEMAPS, section="news", template_name="sitemap_news.xml"
    )
