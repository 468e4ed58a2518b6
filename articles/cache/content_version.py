"""The content version: one number that every write to public content raises.

Database triggers raise it (articles.cache.triggers), in the transaction of the write,
so no reader sees the new version before the new content; the same triggers record
which cache keys the write made stale, at the new version. A page rendered at version
R is fresh while none of its keys changed after R (changed_since).
"""

from django.db import DatabaseError, connection

from articles.cache import keys
from articles.models import CacheKey, ContentVersion

COUNTER = ContentVersion._meta.db_table
KEYS = CacheKey._meta.db_table
# The version: the counter row's, or, while there is none (a new or flushed database),
# the newest key's, so that it never goes back below a key's (the purge worker and
# every stored page compare the two).
VERSION = (
    f"COALESCE((SELECT version FROM {COUNTER} WHERE id = 1), (SELECT MAX(version) FROM {KEYS}), 0)"
)


def current_version(using=connection) -> int:
    """The current version; 0 until the first write creates the counter row."""
    with using.cursor() as cursor:
        cursor.execute(f"SELECT {VERSION}")
        return cursor.fetchone()[0]


def request_version(request) -> int:
    """The version a request works with: read once, by the page cache (which stores it
    on the request) or on first use here."""
    if getattr(request, "content_version", None) is None:
        request.content_version = current_version()
    return request.content_version


def changed_since(version: int, keys, using=connection) -> tuple[bool, int]:
    """Whether any of `keys` changed after `version` (the triggers set a key's version
    to that of the write that made it stale), and the current version, in one query:
    one lookup per key in the primary key."""
    keys = list(keys) or [""]
    with using.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {KEYS} WHERE key IN "
            f"({', '.join(['%s'] * len(keys))}) AND version > %s), {VERSION}",
            [*keys, version],
        )
        changed, current = cursor.fetchone()
    return bool(changed), current


def key_versions(keys, using=connection) -> tuple[dict[str, int], int]:
    """The version at which each of `keys` last changed (keys never changed are left
    out) and the current version, in one query."""
    keys = list(keys)
    if not keys:
        return {}, current_version(using)
    with using.cursor() as cursor:
        cursor.execute(
            f"SELECT NULL, {VERSION} UNION ALL SELECT key, version FROM {KEYS} "
            f"WHERE key IN ({', '.join(['%s'] * len(keys))})",
            keys,
        )
        rows = cursor.fetchall()
    current = next(version for key, version in rows if key is None)
    return {key: version for key, version in rows if key is not None}, current


def checking_connection(read, *args, using=connection):
    """read(*args) as a request's first query, standing in for Django's connection
    health check (CONN_HEALTH_CHECKS): a page-cache hit then costs one round trip, not
    a SELECT 1 and then the read. A persistent connection that went away while idle
    fails here instead of in the health check, and is replaced the same way: closed, and
    the read retried once on a new connection."""
    if not using.health_check_enabled or using.health_check_done or using.connection is None:
        return read(*args, using=using)
    using.health_check_done = True
    try:
        return read(*args, using=using)
    except DatabaseError:
        if using.in_atomic_block:
            raise
        using.close()
        return read(*args, using=using)


def current_version_checking_connection(using=connection) -> int:
    return checking_connection(current_version, using=using)


def articles_changed_since(version: int, most: int, using=connection) -> list[int] | None:
    """The ids of the articles whose own key changed after `version` (content, status,
    date, tags, places: whatever the triggers record as the article's), through the
    keys' version index; None when there are more than `most`."""
    rows = (
        CacheKey.objects.using(using.alias)
        .filter(version__gt=version, key__startswith="a")
        .exclude(key__in=[keys.ANY_ARTICLE, keys.AUTHORS])  # an "a" too, but no article's
        # In the version index's order: SQLite otherwise reads the keys' own index whole
        # (40 ms at 100,000 articles, on each rechecked search page after a save; 0.5 ms).
        .order_by("version")
        .values_list("key", flat=True)
    )
    ids = [int(key[1:]) for key in rows[: most + 1]]
    return None if len(ids) > most else ids
