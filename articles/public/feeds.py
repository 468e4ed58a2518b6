"""RSS 2.0 and Atom feeds (Django's syndication framework): all articles and per filter.

RSS <description> and Atom <summary type="html"> are HTML: the plain-text lead is
escaped for them, so that markup in a lead is text in every feed reader. Every link
is absolute on the canonical site (articles.site_url), not on the request's host.
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from articles.models import Article, Municipality, Section, Tag
from articles.site_url import absolute_url

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    """The newest published articles; subclasses narrow them to one section, tag or place."""

    language = "de"
    request = None  # set on the per-request copy

    def __call__(self, request, *args, **kwargs):
        # The URL patterns share one instance between threads: each request gets a copy
        # that knows its request, for the absolute links.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def title(self, obj=None):
        return (
            f"{settings.SITE_NAME}: {obj}" if obj else f"{settings.SITE_NAME}: Aktuelle Meldungen"
        )

    def link(self, obj=None):
        return absolute_url(
            self.request, obj.get_absolute_url() if obj else reverse("articles:list")
        )

    def feed_url(self, obj=None):
        return absolute_url(self.request, self.request.path)

    def description(self, obj=None):
        return "Nachrichten über E-Government und Digitalisierung in Kommunen."

    def filter_articles(self, articles, obj):
        return articles

    def items(self, obj=None):
        articles = Article.objects.published().select_related("section")
        return self.filter_articles(articles, obj)[:FEED_SIZE]

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
        return f"newsroom-article-{item.pk}"

    item_guid_is_permalink = False


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def filter_articles(self, articles, obj):
        return articles.filter(section=obj)


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def filter_articles(self, articles, obj):
        return articles.filter(tags=obj)


class MunicipalityFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Municipality, slug=slug)

    def filter_articles(self, articles, obj):
        return articles.filter(municipalities=obj)


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
