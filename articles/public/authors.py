"""Authors: who writes under a Kürzel, and their articles."""

from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.cache import keys as cache_keys
from articles.cache.per_version import PerVersion
from articles.models import Article, Author, author_key
from articles.public.pagination import UncountedPaginationMixin

# Every author by folded Kürzel: a desk has dozens, and article pages ask for one each.
_authors = PerVersion(lambda: {author.key: author for author in Author.objects.all()})


def author_of(article: Article, request=None) -> Author | None:
    """The author behind the article's Kürzel, or None (unknown Kürzel stay Kürzel);
    with the request, from the authors kept for its content version."""
    if not article.author_initials.strip():
        return None
    cache_keys.depends_on(cache_keys.AUTHORS)  # one may be added for these Kürzel
    if request is not None:
        return _authors.for_request(request).get(author_key(article.author_initials))
    return Author.objects.by_initials([article.author_initials]).get(
        author_key(article.author_initials)
    )


def written_by(articles, author: Author):
    """The articles under the author's Kürzel as pages spell it ("ve", "VE", "Ve"): an
    IN of spellings uses the (author_initials, published_at) index; a case-insensitive
    comparison would scan the archive."""
    initials = author.initials
    spellings = {initials, initials.lower(), initials.upper(), initials.capitalize()}
    return articles.filter(author_initials__in=spellings)


class AuthorListView(ListView):
    """Die Autorinnen und Autoren: name, role and Kürzel, by name."""

    template_name = "articles/author_list.html"
    context_object_name = "authors"
    queryset = Author.objects.order_by("name")

    def get(self, request, *args, **kwargs):
        cache_keys.depends_on(cache_keys.AUTHORS)
        return super().get(request, *args, **kwargs)


class AuthorArticleListView(UncountedPaginationMixin, ListView):
    """One author: the short bio and their published articles, newest first."""

    template_name = "articles/author_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        cache_keys.depends_on(cache_keys.AUTHORS)
        self.author = get_object_or_404(Author, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return written_by(Article.objects.published().listed(), self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
