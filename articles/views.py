"""Public pages. Everything starts from Article.objects.published()."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from articles.models import Article, Municipality, Section, Tag

PAGE_SIZE = 20


def healthz(request):
    """Liveness only: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def public_articles():
    return Article.objects.published().select_related("section")


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return public_articles()


class FilteredArticleListView(ArticleListView):
    """A list of the articles filed under one object (section, tag, municipality)."""

    model = None
    heading_prefix = ""

    def get_filter_object(self):
        return get_object_or_404(self.model, slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.filter_object = self.get_filter_object()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_object"] = self.filter_object
        context["heading"] = f"{self.heading_prefix} {self.filter_object}".strip()
        return context


class SectionArticleListView(FilteredArticleListView):
    model = Section
    heading_prefix = "Bereich"

    def get_queryset(self):
        return super().get_queryset().filter(section=self.filter_object)


class TagArticleListView(FilteredArticleListView):
    model = Tag
    heading_prefix = "Thema:"

    def get_queryset(self):
        return super().get_queryset().filter(tags=self.filter_object)


class MunicipalityArticleListView(FilteredArticleListView):
    model = Municipality

    def get_filter_object(self):
        return get_object_or_404(
            Municipality.objects.select_related("parent__parent"), slug=self.kwargs["slug"]
        )

    def get_queryset(self):
        return super().get_queryset().filter(municipalities=self.filter_object)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return public_articles().prefetch_related("links", "municipalities", "tags")


class ImprintView(TemplateView):
    template_name = "imprint.html"
