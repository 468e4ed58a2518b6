"""Public pages. Everything readers see starts from Article.objects.published()."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.generic import (
    ArchiveIndexView,
    DetailView,
    ListView,
    MonthArchiveView,
    YearArchiveView,
)

from articles.cache import keys as cache_keys
from articles.cache.content_version import articles_changed_since
from articles.cache.middleware import page_cache_exempt
from articles.embeds.views import embed_snippet
from articles.filters import ArticleFilter, SearchFilter
from articles.models import Article, Municipality, Section, SlugRedirect, Tag
from articles.public import places
from articles.public.archive_periods import months_with_articles, years_with_articles
from articles.public.authors import author_of
from articles.public.metadata import news_article_metadata
from articles.public.pagination import UncountedPaginationMixin
from articles.public.related import related_sidebars
from articles.public.sitemaps import NewsSitemap
from articles.public.tag_redirects import TagMoved, tag_by_slug
from articles.public.vendors import section_box
from articles.search import hits_still_hold, search_articles
from articles.search.highlight import Highlighter
from articles.site_url import absolute_url

PAGE_SIZE = 20
SEARCH_QUERY_MAX_LENGTH = 200


@page_cache_exempt
def healthz(request):
    """Liveness only: no database, no template (the ceiling serving benchmarks compare to)."""
    return HttpResponse("ok", content_type="text/plain")


@page_cache_exempt
@never_cache
def readyz(request):
    """Readiness: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


DATABASE_OUTAGES = (OperationalError, InterfaceError)
logger = logging.getLogger(__name__)


def server_error(request):
    """The 500 handler: a 503 when the database cannot be reached (an outage that passes,
    with Retry-After), a 500 otherwise. Both pages are static: no database, no context."""
    error = sys.exc_info()[1]
    outage = isinstance(error, DATABASE_OUTAGES)
    status, template = (503, "503.html") if outage else (500, "500.html")
    if outage:
        logger.error("Database unavailable: %s", error)
    response = HttpResponse(loader.get_template(template).render(), status=status)
    if outage:
        response["Retry-After"] = "30"
    add_never_cache_headers(response)
    return response


def robots_txt(request):
    sitemap = absolute_url(request, reverse("sitemap-index"))
    lines = ["User-agent: *", f"Disallow: /{settings.ADMIN_URL}", f"Sitemap: {sitemap}"]
    if NewsSitemap().recent().exists():  # an empty news sitemap is invalid: not named
        lines.append(f"Sitemap: {absolute_url(request, reverse('sitemap-news'))}")
    lines.append("")
    return HttpResponse("\n".join(lines), content_type="text/plain")


def public_articles():
    return Article.objects.published().listed()


class FeedLinksMixin:
    """The feeds a page offers, for <link rel="alternate"> in its head."""

    feed_name = "articles:feed"

    def feed_urls(self):
        kwargs = self.feed_kwargs()
        return {
            "rss": reverse(self.feed_name, kwargs=kwargs),
            "atom": reverse(f"{self.feed_name}-atom", kwargs=kwargs),
        }

    def feed_kwargs(self):
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(feeds=self.feed_urls(), **kwargs)


class FilteredArticleListView(UncountedPaginationMixin, FeedLinksMixin, ListView):
    """The articles filed under one object: a section, a tag or a municipality; pages
    without a total (articles.public.pagination)."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE
    model = None
    heading_prefix = ""

    def get_filter_object(self):
        return get_object_or_404(self.model, slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.filter_object = self.get_filter_object()
        cache_keys.only_lists(cache_keys.list_of(self.filter_object))
        return super().get(request, *args, **kwargs)

    def feed_kwargs(self):
        return {"slug": self.filter_object.slug}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_object=self.filter_object,
            heading=f"{self.heading_prefix} {self.filter_object}".strip(),
            description=getattr(self.filter_object, "description", ""),
            **kwargs,
        )


class SectionArticleListView(FilteredArticleListView):
    model = Section
    heading_prefix = "Bereich"
    feed_name = "articles:section-feed"
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        return public_articles().filter(section=self.filter_object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(vendor_box=section_box(self.filter_object), **kwargs)


class TagArticleListView(FilteredArticleListView):
    model = Tag
    heading_prefix = "Thema:"
    feed_name = "articles:tag-feed"

    def get_filter_object(self):
        return tag_by_slug(self.kwargs["slug"])  # a former slug raises TagMoved

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except TagMoved as moved:
            return moved.redirect(request)

    def get_queryset(self):
        return public_articles().tagged(self.filter_object)  # planned by the tag's size

    def get_context_data(self, **kwargs):
        tag = self.filter_object
        return super().get_context_data(
            tag_place=places.tag_place_link(tag),
            embed_subject=f"zum Thema {tag.name}",
            embed_snippet=embed_snippet(
                self.request,
                "articles:embed-tag",
                f"Nachrichten zum Thema {tag.name}",
                slug=tag.slug,
            ),
            **kwargs,
        )


class MunicipalityArticleListView(FilteredArticleListView):
    """A place's news, its parent chain, and the places below it that have news."""

    model = Municipality
    feed_name = "articles:municipality-feed"
    template_name = "articles/municipality_detail.html"

    def get_filter_object(self):
        # Four levels up at most: Gemeinde, Verband, Kreis, Regierungsbezirk, Land.
        return get_object_or_404(
            Municipality.objects.select_related("parent__parent__parent__parent"),
            slug=self.kwargs["slug"],
        )

    def get_queryset(self):
        return places.articles_about(self.filter_object)  # the place and all below it

    def get_context_data(self, **kwargs):
        municipality = self.filter_object
        about = places.place_context(municipality)
        if municipality.ags:  # embeds are for register places, by their official key
            kwargs["embed_snippet"] = embed_snippet(
                self.request,
                "articles:embed-place",
                about["news_heading"],
                ags=municipality.ags,
            )
        context = super().get_context_data(
            parent_chain=municipality.parent_chain[::-1],  # Land first, as a breadcrumb
            children=places.places_below_with_news(municipality),
            population_date=settings.MUNICIPAL_REGISTER_POPULATION_DATE,
            **about,
            **kwargs,
        )
        context["heading"] = about["news_heading"]
        # A place without any public article is a real place (the register's, with its
        # embed offer) but an empty page: shown, kept out of search engines' indexes.
        context["noindex"] = not context["articles"]  # only a first page may be empty
        return context


class ArticleArchiveMixin(UncountedPaginationMixin, FeedLinksMixin):
    date_field = "published_at"
    allow_empty = True
    paginate_by = PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        return public_articles()


class ArchiveView(ArticleArchiveMixin, ArchiveIndexView):
    """The archive: the years, and every article newest first, narrowed by the reader's
    filters (ArticleFilter; the home page's old filter URLs lead here)."""

    template_name = "articles/archive.html"
    date_list_period = "year"

    def get_queryset(self):
        self.filterset = ArticleFilter(self.request.GET or None, queryset=public_articles())
        return self.filterset.qs

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The years are the archive's navigation: all of them, whatever the filters,
        # probed through the date index (a DISTINCT would read the whole archive).
        return years_with_articles(public_articles(), ordering)

    def get_context_data(self, **kwargs):
        active = any(self.request.GET.get(name) for name in self.filterset.filters)
        return super().get_context_data(filter=self.filterset, filter_active=active, **kwargs)


class YearArchive(ArticleArchiveMixin, YearArchiveView):
    template_name = "articles/archive_year.html"
    make_object_list = True

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        return months_with_articles(queryset, int(self.get_year()), ordering)


class MonthArchive(ArticleArchiveMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"
    month_format = "%m"

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        return []  # the days of the month: the page does not list them


class ArticleDetailView(DetailView):
    """An article; staff also see drafts and scheduled ones, marked as preview."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    preview = False
    show_sidebars = True
    preview_revision = None  # the admin's preview of a pending change (admin.revisions)

    def get_queryset(self):
        articles = Article.objects.for_article_page()
        if self.request.user.is_staff:
            return articles
        return articles.published()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return self.redirect_from_old_slug()
        self.object.prefetch_sparse_relations()
        self.preview = not self.object.is_public or self.preview_revision is not None
        response = self.render_to_response(self.get_context_data(object=self.object))
        if self.preview:
            add_never_cache_headers(response)
        return response

    def redirect_from_old_slug(self):
        redirect = (
            SlugRedirect.objects.filter(old_slug=self.kwargs["slug"])
            .filter(Q(article__in=self.get_queryset()))
            .select_related("article")
            .first()
        )
        if redirect is None:
            raise Http404("Kein Artikel unter dieser Adresse.")
        return HttpResponsePermanentRedirect(self.request_path_for(redirect.article))

    def request_path_for(self, article):
        return reverse(self.request.resolver_match.view_name, kwargs={"slug": article.slug})

    def get_context_data(self, **kwargs):
        article = self.object
        cache_keys.only_lists()  # and those of its sidebars
        canonical = absolute_url(self.request, article.get_absolute_url())
        author = author_of(article, self.request)
        return super().get_context_data(
            preview=self.preview,
            preview_revision=self.preview_revision,
            sidebars=(
                related_sidebars(article, getattr(self.request, "content_version", None))
                if self.show_sidebars
                else []
            ),
            canonical_url=canonical,
            author=author,
            # A teaser-only article claims no NewsArticle: we do not have its text.
            structured_data=None
            if article.teaser_only
            else news_article_metadata(article, canonical, author=author, request=self.request),
            **kwargs,
        )


class ArticlePrintView(ArticleDetailView):
    template_name = "articles/article_print.html"
    show_sidebars = False


class SearchView(ListView):
    """Full-text search, ranked by relevance then date, narrowed by Bereich, Land, Jahr."""

    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    # Articles changed since a stored page was rendered that its recheck looks at; with
    # more, the page is rendered again.
    RECHECK_MOST = 200

    @staticmethod
    def searched(request) -> tuple[str, SearchFilter]:
        query = " ".join(request.GET.get("q", "").split())[:SEARCH_QUERY_MAX_LENGTH]
        return query, SearchFilter(request.GET, queryset=public_articles())

    def get_queryset(self):
        self.query, self.filterset = self.searched(self.request)
        self.result = search_articles(self.query, self.filterset.qs)
        # Any edit may make an article match: HTTP caches in front drop every search page
        # on an article's edit; the page cache rechecks instead (page_cache_recheck).
        cache_keys.depends_on(cache_keys.ANY_ARTICLE)
        return self.result.queryset

    @classmethod
    def page_cache_recheck(cls, request, version: int, window_ids: list[int]) -> bool:
        """Whether a stored results page rendered at `version` is still what the search
        finds: no article changed since is among its hits or matches now."""
        changed = articles_changed_since(version, cls.RECHECK_MOST)
        if changed is None:
            return False
        query, filterset = cls.searched(request)
        return hits_still_hold(filterset.qs, query, window_ids, changed)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query,
            filter=self.filterset,
            understood=self.result.understood,
            more_hits=getattr(self.result.queryset, "more_than_counted", False),
            **kwargs,
        )
        highlighter = Highlighter(self.result.exact_stems, self.result.prefixes)
        for article in context["articles"]:
            article.snippet = highlighter.snippet(f"{article.lead} {article.body_text}")
        if self.result.understood:
            self.request.page_cache_recheck_data = self.result.queryset.window_ids()
        return context
