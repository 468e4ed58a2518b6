"""Lists kept across requests: the newest articles of a section, a place or a tag, as
the sidebars of article pages show them, whether or not the page cache is on.

Each of thousands of article pages shows the newest of its section, its place and its
tags; pages of one section or tag share those lists. An entry holds the rows a list
query gave (the article's id first), the content version it was read at, and the cache
keys it depends on: the list's own (which articles it holds, articles.cache.keys) and
every listed article's (what the rows show of it). It is used while none of those keys
changed since (one lookup for all the entries a page uses, on the database the page
reads from) and kept no longer than until the next scheduled article goes public, which
changes lists without a write. Nothing read inside a transaction is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router

from articles.cache import keys
from articles.cache.content_version import key_versions
from articles.cache.middleware import keep_for
from articles.models import CacheKey

PREFIX = "list:"

Rows = list[tuple]


def kept_lists(
    wanted: dict[str, str],
    read: Callable[[list[str]], dict[str, Rows]],
    version: int | None = None,
) -> dict[str, Rows]:
    """The rows of each wanted list, {name: list key} (a name says what was read, e.g.
    "ls5:6", the list key which articles it holds, "ls5"); read(names) reads those
    that are not kept or are stale, all in one go, as {name: rows}.

    `version` is the content version the caller's page renders at, read before any of
    its rows (request.content_version). An entry kept at that version or later is as
    fresh as the rest of the page, so only older entries have their keys looked up; on
    a day without writes, a page of a known section, place and tags asks nothing. (A
    page stored at `version` is made stale by any later change of the keys it shows,
    the listed articles' among them, as before.)"""
    seconds = settings.LIST_CACHE_SECONDS
    if seconds <= 0 or not wanted:
        return read(list(wanted))
    cache = caches[settings.LIST_CACHE_ALIAS]
    stored = {
        name[len(PREFIX) :]: entry
        for name, entry in cache.get_many([PREFIX + name for name in wanted]).items()
    }
    # Inside a transaction the rows may show writes that are rolled back (the admin's
    # preview of a proposed change): nothing is kept, and every entry is checked.
    in_transaction = connections[router.db_for_write(CacheKey)].in_atomic_block
    found, current = {}, None if in_transaction else version
    if current is not None:
        found = {
            name: rows for name, (kept_at, _keys, rows) in stored.items() if kept_at >= current
        }
    to_check = {name: entry for name, entry in stored.items() if name not in found}
    if to_check or current is None:
        # The versions are read where the rows are: from a replica, if the page reads
        # one (the router uses it only once it has replayed `version`).
        changed, current = key_versions(
            {key for _kept_at, depends_on, _rows in to_check.values() for key in depends_on},
            using=connections[router.db_for_read(CacheKey)],
        )
        found.update(
            (name, rows)
            for name, (kept_at, depends_on, rows) in to_check.items()
            if all(changed.get(key, 0) <= kept_at for key in depends_on)
        )
    missing = [name for name in wanted if name not in found]
    if missing:
        # Stamped with the version read before the rows: a write in between makes
        # the entry stale at once, never fresh with old rows.
        read_now = read(missing)
        timeout = keep_for(current, seconds)
        if timeout > 0 and not in_transaction:
            cache.set_many(
                {
                    PREFIX + name: (
                        current,
                        [wanted[name], *(keys.article(row[0]) for row in rows)],
                        rows,
                    )
                    for name, rows in read_now.items()
                },
                timeout,
            )
        found.update(read_now)
    return found
