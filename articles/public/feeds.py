"""RSS 2.0 and Atom feeds (Django's syndication framework): all articles and per filter.

RSS <description> and Atom <summary type="html"> are HTML: the plain-text lead is
escaped for them, so that markup in a lead is text in every feed reader. Every link
is absolute on the canonical site (articles.site_url), not on the request's host.

Atom as RFC 4287 wants it: the site's publisher is the feed's author, each entry names
its own (the Author behind the Kürzel, else the Kürzel, else the publisher); ids are
tag URIs that survive slug changes (articles.public.feed_ids); `updated` is the last
public correction or the publication (Article.modified_at), the feed's the newest of
its entries'. Teaser-only articles keep their lead as summary and nothing pretends to
be their text. A tag's former slug answers with a 301 (articles.public.tag_redirects).
"""

import copy

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.cache import keys as cache_keys
from articles.identity.current import site_identity
from articles.models import Article, Author, Municipality, Section, author_key
from articles.public.feed_ids import article_id, feed_id
from articles.public.tag_redirects import TagMoved, tag_by_slug
from articles.site_url import absolute_url

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    """The newest published articles; subclasses narrow them to one section, tag or place."""

    language = "de"
    id_kind = ""  # the feed id's part for the object: "bereich", "thema", "kommune"
    # Set on the per-request copy:
    request = None
    identity = None
    authors: dict[str, Author] = {}

    def __call__(self, request, *args, **kwargs):
        # The URL patterns share one instance between threads: each request gets a copy
        # that knows its request, for the absolute links, and the site's identity.
        feed = copy.copy(self)
        feed.request = request
        feed.identity = site_identity(request)
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self, obj=None):
        name = self.identity.name
        return f"{name}: {obj}" if obj else f"{name}: Aktuelle Meldungen"

    def link(self, obj=None):
        return absolute_url(
            self.request, obj.get_absolute_url() if obj else reverse("articles:list")
        )

    def feed_url(self, obj=None):
        return absolute_url(self.request, self.request.path)

    def description(self, obj=None):
        return self.identity.description

    def feed_guid(self, obj=None):
        return feed_id(self.request, self.id_kind, obj)

    def author_name(self, obj=None):
        """The publisher (RFC 4287 4.1.1: a feed has an author unless every entry has)."""
        return self.identity.publisher.strip() or self.identity.name

    def author_email(self, obj=None):
        return self.identity.email or None

    def author_link(self, obj=None):
        return absolute_url(self.request, reverse("articles:list"))

    def filter_articles(self, articles, obj):
        return articles

    def items(self, obj=None):
        articles = Article.objects.published().listed()
        if obj is not None:
            cache_keys.only_lists(cache_keys.list_of(obj))
        items = list(self.filter_articles(articles, obj)[:FEED_SIZE])
        # The authors of the whole page in one query.
        cache_keys.depends_on(cache_keys.AUTHORS)
        self.authors = Author.objects.by_initials(item.author_initials for item in items)
        return items

    def item_author(self, item) -> Author | None:
        return self.authors.get(author_key(item.author_initials)) if item.author_initials else None

    def item_author_name(self, item):
        author = self.item_author(item)
        if author is not None:
            return author.name
        return item.author_initials.strip() or self.author_name()

    def item_author_link(self, item):
        author = self.item_author(item)
        if author is not None:
            return absolute_url(self.request, author.get_absolute_url())
        return None if item.author_initials.strip() else self.author_link()

    def item_title(self, item):
        return f"{item.kicker}: {item.title}" if item.kicker else item.title

    def item_link(self, item):
        return absolute_url(self.request, item.get_absolute_url())

    def item_description(self, item):
        # The lead is plain text; the element is HTML.
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_categories(self, item):
        return [item.section.name] if item.section else []

    def item_guid(self, item):
        return article_id(self.request, item)

    item_guid_is_permalink = False


class SectionFeed(LatestArticlesFeed):
    id_kind = "bereich"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def filter_articles(self, articles, obj):
        return articles.filter(section=obj)


class TagFeed(LatestArticlesFeed):
    id_kind = "thema"

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except TagMoved as moved:
            return moved.redirect(request)

    def get_object(self, request, slug):
        return tag_by_slug(slug)  # a former slug raises TagMoved

    def filter_articles(self, articles, obj):
        return articles.filter(tags=obj)


class MunicipalityFeed(LatestArticlesFeed):
    id_kind = "kommune"

    def get_object(self, request, slug):
        return get_object_or_404(Municipality, slug=slug)

    def filter_articles(self, articles, obj):
        return articles.about_place(obj)  # as the place's page: everything below it too


def atom_version(feed_class: type[Feed]) -> type[Feed]:
    """The same feed as Atom 1.0 (whose subtitle is RSS's description)."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )


LatestArticlesAtomFeed = atom_version(LatestArticlesFeed)
SectionAtomFeed = atom_version(SectionFeed)
TagAtomFeed = atom_version(TagFeed)
MunicipalityAtomFeed = atom_version(MunicipalityFeed)
