"""The JSON export: one object per article, the form import fidelity is checked in."""

from django.db.models import Prefetch
from django.utils import timezone

from articles.models import Article, ArticleLink, Municipality, SourceFile

EXPORT_KEYS = (
    "slug",
    "url",
    "kicker",
    "title",
    "kind",
    "published",
    "lead",
    "body",
    "intertitles",
    "image_caption",
    "image_credit",
    "author",
    "section",
    "tags",
    "municipalities",
    "links",
    "teaser_only",
    "status",
    "source_files",
)


def export_queryset():
    return (
        Article.objects.select_related("section")
        .prefetch_related(
            "tags",
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name")),
            Prefetch("links", queryset=ArticleLink.objects.order_by("position", "pk")),
            Prefetch("source_files", queryset=SourceFile.objects.order_by("name")),
        )
        .order_by("published_at", "title", "pk")
    )


def export_article(article: Article) -> dict:
    return {
        "slug": article.slug,
        "url": article.get_absolute_url(),
        "kicker": article.kicker,
        "title": article.title,
        "kind": article.kind,
        "published": timezone.localdate(article.published_at).isoformat(),
        "lead": article.lead,
        "body": article.body_text,
        "intertitles": article.intertitles,
        "image_caption": article.image_caption,
        "image_credit": article.image_credit,
        "author": article.author_initials,
        "section": article.section.name if article.section else "",
        "tags": sorted((tag.name for tag in article.tags.all()), key=str.casefold),
        "municipalities": [m.name for m in article.municipalities.all()],
        "links": [link.url for link in article.links.all() if link.url],
        "teaser_only": article.teaser_only,
        "status": article.status,
        "source_files": [source.name for source in article.source_files.all()],
    }


def export_articles(queryset=None) -> list[dict]:
    if queryset is None:
        queryset = export_queryset()
    return [export_article(article) for article in queryset]
