"""The JSON shape of each object, as plain dicts (the schemas in schemas.py check them).

Absolute URLs come from the site's canonical address (articles.site_url), never from
the request's Host header; times are given in German time.
"""

from django.urls import reverse
from django.utils import timezone

from articles.site_url import absolute_url

# Page addresses are built from one reverse() per kind and request: a list of 20
# articles names about 100 pages, and reverse() was a fifth of its time (profiled).
_SLUG = "slug-placeholder"
_PAGES = ("articles:detail", "articles:section", "articles:tag", "articles:municipality")


class Representation:
    """Builds the dicts of one request's response; `relations` holds the tags, places,
    links and corrections of the articles it represents (queries.relations_of)."""

    def __init__(self, request, relations=None):
        self.request, self.relations = request, relations
        self.root = absolute_url(request, "")
        self.pages = {name: reverse(name, kwargs={"slug": _SLUG}) for name in _PAGES}

    def url(self, path: str) -> str:
        return self.root + path

    def page_url(self, name: str, slug: str) -> str:
        return self.root + self.pages[name].replace(_SLUG, slug, 1)

    def api_url(self, name: str, query: str = "", **kwargs) -> str:
        path = reverse(f"api-v1:{name}", kwargs=kwargs or None)
        return self.url(f"{path}?{query}" if query else path)

    def section_ref(self, section) -> dict | None:
        if section is None:
            return None
        return {
            "slug": section.slug,
            "name": section.name,
            "url": self.page_url("articles:section", section.slug),
        }

    def section(self, section) -> dict:
        return {
            **self.section_ref(section),
            "description": section.description,
            "article_count": section.article_count,
            "articles": self.api_url("articles", f"section={section.slug}"),
        }

    def tag_ref(self, tag) -> dict:
        return self.tag_row(tag.slug, tag.name)

    def tag_row(self, slug: str, name: str) -> dict:
        return {"slug": slug, "name": name, "url": self.page_url("articles:tag", slug)}

    def tag(self, tag) -> dict:
        return {
            **self.tag_ref(tag),
            "description": tag.description,
            "article_count": tag.article_count,
            "articles": self.api_url("articles", f"tag={tag.slug}"),
        }

    def place_ref(self, place) -> dict:
        return self.place_row(place.slug, place.name, place.kind, place.ags)

    def place_row(self, slug: str, name: str, kind: str, ags: str) -> dict:
        return {
            "slug": slug,
            "name": name,
            "kind": kind,
            "ags": ags or None,
            "url": self.page_url("articles:municipality", slug),
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
        relations, pk = self.relations, article.pk
        return {
            "slug": article.slug,
            "url": self.page_url("articles:detail", article.slug),
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
            "tags": [self.tag_row(*tag) for tag in relations.tags[pk]],
            "municipalities": [self.place_row(*place) for place in relations.places[pk]],
            "links": [{"url": url or None, "label": label} for url, label in relations.links[pk]],
            "corrections": [
                {"note": note, "date": timezone.localtime(created_at)}
                for note, created_at in relations.corrections[pk]
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
