"""Cache keys: the names of the things a public page shows.

A page carries the keys of what it rendered; a write makes stale exactly the pages that
carry a key it affects (the database triggers of articles.cache.triggers record which).

    a<id>    an article's own content (its page, and every list item and sidebar entry
             showing it)
    t<id>    a tag's name and description; p<id> a place's
    ls<id>   which articles the list of section <id> holds, and in what order;
             lt<id> the same for a tag, lp<id> for a place (with everything below it)
    l        which articles are public at all, and where: the news front, the archive,
             the feeds of everything, the sitemaps; and which tags and places there
             are (the archive's filters)
    counts   how many articles each tag and place holds (the front's "Themen" box,
             the content API's article counts)
    articles any article's content: pages that show too many articles to name each
             (a sitemap part) or that may find any of them (search: in HTTP caches;
             the page cache rechecks a results page against the articles changed
             since instead); tags and places in the same way
    au       the authors; v the vendors
    site     what every page shows: the site's identity and the sections in the
             navigation. Every page carries it.

Keys are collected while a request renders: every Article, Tag, Municipality, Author
and Vendor instance loaded from the database adds its key (a post_init receiver, so no
list, sidebar or template can forget one). Every page also depends on "l", unless its
view names the narrower lists it shows with only_lists(): a list of a section, tag or
place, an article page's sidebars. A page that forgets to is made stale too often,
never too seldom.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_init

SITE = "site"
ALL_LISTS = "l"
COUNTS = "counts"
ANY_ARTICLE = "articles"
ANY_TAG = "tags"
ANY_PLACE = "places"
AUTHORS = "au"
VENDORS = "v"

# A page naming more articles (tags, places) than this carries ANY_ARTICLE (ANY_TAG,
# ANY_PLACE) instead of their keys: an HTTP header of at most a few kilobytes, and one
# lookup of few keys per cache hit.
MAX_KEYS_OF_A_KIND = {"a": (120, ANY_ARTICLE), "t": (60, ANY_TAG), "p": (60, ANY_PLACE)}
_NARROWED = "!"

_collected: ContextVar[set[str] | None] = ContextVar("cache_keys", default=None)


def article(pk) -> str:
    return f"a{pk}"


def tag(pk) -> str:
    return f"t{pk}"


def place(pk) -> str:
    return f"p{pk}"


def section_list(pk) -> str:
    return f"ls{pk}"


def tag_list(pk) -> str:
    return f"lt{pk}"


def place_list(pk) -> str:
    return f"lp{pk}"


def list_of(subject) -> str:
    """The list key of a section, tag or place: what its page, feed and embed list."""
    from articles.models import Municipality, Section, Tag

    for model, key in ((Section, section_list), (Tag, tag_list), (Municipality, place_list)):
        if isinstance(subject, model):
            return key(subject.pk)
    raise TypeError(f"{subject!r} has no list")


def depends_on(*keys: str) -> None:
    """Record that what is being rendered shows `keys` (nothing outside a collection)."""
    collected = _collected.get()
    if collected is not None:
        collected.update(keys)


def only_lists(*keys: str) -> None:
    """Record that the page shows no lists but these (so not "l")."""
    depends_on(_NARROWED, *keys)


@contextmanager
def collecting():
    """Collect the keys of what is rendered inside; yields the set, which fills as it
    goes. Nested collections also count towards the one around them."""
    outer = _collected.get()
    keys: set[str] = set()
    token = _collected.set(keys)
    try:
        yield keys
    finally:
        _collected.reset(token)
        if outer is not None:
            outer.update(keys)


def page_keys(collected: set[str]) -> list[str]:
    """The keys a page carries: what it collected, SITE, ALL_LISTS unless narrowed,
    and a coarse key in place of too many of one kind."""
    keys = {SITE, *collected}
    if _NARROWED in keys:
        keys.discard(_NARROWED)
    else:
        keys.add(ALL_LISTS)
    for kind, (most, coarse) in MAX_KEYS_OF_A_KIND.items():
        named = {key for key in keys if key[0] == kind and key[1:].isdigit()}
        if len(named) > most:
            keys = (keys - named) | {coarse}
    return sorted(keys)


def _instance_key(model, key_of):
    def receiver(sender, instance, **kwargs):
        collected = _collected.get()
        if collected is not None and instance.pk is not None:
            collected.add(key_of(instance.pk))

    post_init.connect(receiver, sender=model, weak=False, dispatch_uid=f"cache_keys.{model}")


def connect_receivers() -> None:
    from articles.models import Article, Author, Municipality, Tag, Vendor

    _instance_key(Article, article)
    _instance_key(Tag, tag)
    _instance_key(Municipality, place)
    _instance_key(Author, lambda pk: AUTHORS)
    _instance_key(Vendor, lambda pk: VENDORS)
