"""The JSON shape of each object, as plain dicts (the schemas in schemas.py check them).

Absolute URLs come from the site's canonical address (articles.site_url), never from
the request's Host header; times are given in German time.
"""

from django.urls import reverse
from django.utils import timezone

from articles.site_url import absolute_url


class Representation:
    """Builds the dicts of one request's response."""

    def __init__(self, request):
        self.request = request

    def url(self, path: str) -> str:
        return absolute_url(self.request, path)

    def api_url(self, name: str, query: str = "", **kwargs) -> str:
        path = reverse(f"api-v1:{name}", kwargs=kwargs or None)
        return self.url(f"{path}?{query}" if query else path)

    def section_ref(self, section) -> dict | None:
        if section is None:
            return None
        return {
            "slug": section.slug,
            "name": section.name,
            "url": self.url(section.get_absolute_url()),
        }

    def section(self, section) -> dict:
        return {
            **self.section_ref(section),
            "description": section.description,
            "article_count": section.article_count,
            "articles": self.api_url("articles", f"section={section.slug}"),
        }

    def tag_ref(self, tag) -> dict:
        return {"slug": tag.slug, "name": tag.name, "url": self.url(tag.get_absolute_url())}

    def tag(self, tag) -> dict:
        return {
            **self.tag_ref(tag),
            "description": tag.description,
            "article_count": tag.article_count,
            "articles": self.api_url("articles", f"tag={tag.slug}"),
        }

    def place_ref(self, place) -> dict:
        return {
            "slug": place.slug,
            "name": place.name,
            "kind": place.kind,
            "ags": place.ags or None,
            "url": self.url(place.get_absolute_url()),
        }

    def municipality(self, place) -> dict:
        return {
            **self.place_ref(place),
            "official_name": place.official_name,
            "kind_label": place.get_kind_display(),
            "population": place.population,
            "parents": [self.place_ref(parent) for parent in reversed(place.parent_chain)],
            "article_count": place.article_count,
            "articles": self.api_url("articles", f"municipality={place.ags or place.slug}"),
        }

    def vendor(self, vendor) -> dict:
        return {
            "name": vendor.name,
            "postcode": vendor.postcode,
            "city": vendor.city,
            "section": self.section_ref(vendor.section),
        }

    def article(self, article) -> dict:
        return {
            "slug": article.slug,
            "url": self.url(article.get_absolute_url()),
            "kicker": article.kicker,
            "title": article.title,
            "kind": article.kind,
            "published": timezone.localtime(article.published_at),
            "modified": timezone.localtime(article.modified_at),
            "lead": article.lead,
            "body": [
                {"type": block.get("type", "paragraph"), "text": block.get("text", "")}
                for block in article.body
            ],
            "intertitles": article.intertitles,
            "image": self.image(article),
            "author": {"initials": article.author_initials} if article.author_initials else None,
            "section": self.section_ref(article.section),
            "tags": [
                self.tag_ref(tag)
                for tag in sorted(article.tags.all(), key=lambda tag: tag.name.casefold())
            ],
            "municipalities": [self.place_ref(place) for place in article.municipalities.all()],
            "links": [
                {"url": link.url or None, "label": link.label} for link in article.links.all()
            ],
            "corrections": [
                {"note": correction.note, "date": timezone.localtime(correction.created_at)}
                for correction in article.corrections.all()
            ],
            "teaser_only": article.teaser_only,
        }

    def image(self, article) -> dict | None:
        if not article.image:
            return None
        return {
            "url": self.url(article.image.url),
            "alt": article.image_alt,
            "caption": article.image_caption,
            "credit": article.image_credit,
        }
