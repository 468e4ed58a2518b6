"""Each article's JSON, cached: lists of every kind (home, Bereich, Thema, place, later
pages, searches) show the same articles, and building one article's JSON costs five
queries, a tenth of a millisecond of Python and its share of validating and encoding
the response; reading it back costs a cache lookup.

A fragment is the article's JSON as bytes, validated against schemas.Article once, when
it is built; lists and details are assembled from fragments without decoding them.
Fragments are keyed by the content version (articles.cache.content_version), which every write
to public content raises, so none is older than the data it shows, on any server. SHAPE
names the shape: raise it when Representation.article changes, so that a deploy does not
serve fragments of the old shape from a shared cache.
"""

import json

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from pydantic import TypeAdapter

from articles.api import schemas
from articles.api.queries import article_rows, relations_of
from articles.api.representation import Representation
from articles.cache import keys as cache_keys
from articles.cache.content_version import request_version
from articles.site_url import absolute_url

SHAPE = 2  # 2: stored with the cache keys it shows
ARTICLE = TypeAdapter(schemas.Article)
JSON = "application/json; charset=utf-8"


def article_fragments(request, rows) -> list[bytes]:
    """The JSON of `rows` (articles with at least their primary key), in their order."""
    ids = [row.pk for row in rows]
    if not settings.API_FRAGMENT_SECONDS:
        made = _build(request, ids)
        return [made[pk] for pk in ids if pk in made]
    cache = caches[settings.API_FRAGMENT_CACHE_ALIAS]
    prefix = f"article.{SHAPE}.{request_version(request)}.{absolute_url(request, '')}."
    found = {
        int(key.removeprefix(prefix)): entry
        for key, entry in cache.get_many([prefix + str(pk) for pk in ids]).items()
    }
    # A fragment read back names the cache keys of what it was built from (its tags,
    # places, author), as building it would have (articles.cache.keys).
    for _fragment, shown in found.values():
        cache_keys.depends_on(*shown)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        with cache_keys.collecting() as shown:
            made = _build(request, missing)
        shown = sorted(shown)
        built = {pk: (fragment, shown) for pk, fragment in made.items()}
        cache.set_many(
            {prefix + str(pk): entry for pk, entry in built.items()},
            settings.API_FRAGMENT_SECONDS,
        )
        found.update(built)
    # An article unpublished since the page was read is left out, not an error.
    return [found[pk][0] for pk in ids if pk in found]


def _build(request, ids: list[int]) -> dict[int, bytes]:
    # By primary key, and the public check in Python: these ids come from a page of
    # published articles, and SQLite without statistics would answer published()'s
    # "status = published" through that index, walking the whole archive for 20 rows.
    articles = [article for article in article_rows(ids) if article.is_public]
    represent = Representation(request, relations_of(articles)).article
    return {
        article.pk: ARTICLE.dump_json(ARTICLE.validate_python(represent(article)))
        for article in articles
    }


def page_response(page, fragments: list[bytes]) -> HttpResponse:
    """A schemas.Page of articles, put together from their fragments."""
    head = json.dumps(
        {"next": page.next, "previous": page.previous}, ensure_ascii=False, separators=(",", ":")
    )
    body = b"".join([head[:-1].encode(), b',"results":[', b",".join(fragments), b"]}"])
    return HttpResponse(body, content_type=JSON)


def article_response(fragment: bytes) -> HttpResponse:
    return HttpResponse(fragment, content_type=JSON)
