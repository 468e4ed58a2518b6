"""The news front: the home page's lead story, newest Meldungen, section blocks and Themen.

Every block is a bounded query that starts in an index and ends in a LIMIT, so the page
costs the same at 20 and at 100,000 articles:

1. the sections (the navigation's, reused so that the page asks for them once);
2. the newest full articles: the first is the lead story, the rest "Neueste Meldungen";
3. the section blocks: one UNION ALL of one LIMITed branch per section, each walking the
   section's (section, -published_at) index; articles already shown above are left out;
4. "Themen": the tags of the newest TOPIC_WINDOW published articles, counted in one
   GROUP BY over at most that many articles' tag rows (never the whole archive).

Teaser-only articles (only a related-news teaser is known) never lead and stay out of
the front's blocks: readers find them in the archive and on section and tag pages.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from articles.cache import keys as cache_keys
from articles.models import Article, Section, Tag
from articles.public.context_processors import navigation_sections
from articles.public.views import FeedLinksMixin

NEWEST_COUNT = 8  # "Neueste Meldungen" below the lead story
SECTION_BLOCK_SIZE = 4
TOPIC_WINDOW = 200  # the newest articles whose tags make "Themen"
TOPIC_COUNT = 12


@dataclass
class SectionBlock:
    section: Section
    articles: list[Article] = field(default_factory=list)


@dataclass
class NewsFront:
    lead: Article | None
    newest: list[Article]
    sections: list[Section]
    section_blocks: list[SectionBlock]
    topics: list[Tag]


def front_articles():
    """What the front may show: published, full articles; the body is not needed."""
    return Article.objects.published().full().defer("body")


def news_front(sections: list[Section]) -> NewsFront:
    """The front's boxes; `sections` are the navigation's (read once per version)."""
    cache_keys.depends_on(cache_keys.COUNTS)  # the Themen box; and, as every page, "l"
    by_pk = {section.pk: section for section in sections}
    newest = list(front_articles()[: NEWEST_COUNT + 1])
    for article in newest:
        article.section = by_pk.get(article.section_id)
    lead = newest[0] if newest else None
    return NewsFront(
        lead=lead,
        newest=newest[1:],
        sections=sections,
        section_blocks=section_blocks(sections, shown=[article.pk for article in newest]),
        topics=busiest_topics(exclude_names=[section.name for section in sections]),
    )


def section_blocks(sections: list[Section], shown: list[int]) -> list[SectionBlock]:
    """The newest SECTION_BLOCK_SIZE full articles of each section that has any, in one
    query; `shown` (the lead and the newest list) are not repeated."""
    if not sections:
        return []
    # The branches filter what the public may see; the outer query only reads their rows
    # by key (with the filters repeated here, SQLite would walk the published index).
    rows = Article.objects.filter(pk__in=_newest_per_section(sections, shown))
    rows = rows.defer("body").order_by()
    blocks = {section.pk: SectionBlock(section) for section in sections}
    for article in rows:
        article.section = blocks[article.section_id].section
        blocks[article.section_id].articles.append(article)
    for block in blocks.values():
        block.articles.sort(key=lambda article: (article.published_at, article.pk), reverse=True)
    return [block for block in blocks.values() if block.articles]


def _newest_per_section(sections: list[Section], shown: list[int]) -> RawSQL:
    """The keys of each section's newest articles: a UNION ALL of one LIMITed branch per
    section. Django refuses LIMITed branches in a compound statement on SQLite, so each
    branch is compiled alone and wrapped in its own sub-SELECT (valid on both databases)."""
    branches, params = [], []
    for section in sections:
        branch = (
            front_articles()
            .filter(section_id=section.pk)
            .exclude(pk__in=shown)
            .order_by("-published_at", "-pk")
            .values("pk")[:SECTION_BLOCK_SIZE]
        )
        sql, branch_params = branch.query.get_compiler(using=branch.db).as_sql()
        branches.append(f"SELECT * FROM ({sql}) AS section_{len(branches)}")
        params.extend(branch_params)
    return RawSQL(" UNION ALL ".join(branches), params)


def busiest_topics(exclude_names=()) -> list[Tag]:
    """The tags most used by the newest TOPIC_WINDOW published articles, most used first.

    Section names are tags too (a page's first Stichwort is its Bereich); the front shows
    sections in their own blocks, so `exclude_names` leaves them out here."""
    recent = Article.objects.published().order_by("-published_at").values("pk")[:TOPIC_WINDOW]
    return list(
        Tag.objects.filter(tagged_articles__content_object__in=recent)
        .exclude(name__in=list(exclude_names))
        .annotate(recent_count=Count("tagged_articles"))
        .order_by("-recent_count", "name")[:TOPIC_COUNT]
    )


# The reader filters of the archive (articles.filters.ArticleFilter) and its pages: the
# home page was the filterable list once, so its old query strings lead there.
ARCHIVE_QUERY_KEYS = frozenset({"bereich", "land", "kommune", "thema", "art", "jahr", "page"})


class NewsFrontView(FeedLinksMixin, TemplateView):
    """The home page: the news front (see the module). A query string of the old home
    page's filters or pages (/?bereich=politik, /?page=2) is sent on to the archive's
    filterable list, unchanged."""

    template_name = "articles/front.html"

    def get(self, request, *args, **kwargs):
        if ARCHIVE_QUERY_KEYS.intersection(request.GET):
            query = request.GET.urlencode()
            return HttpResponsePermanentRedirect(f"{reverse('articles:archive')}?{query}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            front=news_front(navigation_sections(self.request)), **kwargs
        )
