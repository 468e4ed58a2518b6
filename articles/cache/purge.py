"""Purging the HTTP caches in front: the keys that writes made stale, sent as they change.

The database triggers record every write's keys at its content version
(articles.cache.triggers), whatever wrote it: the admin, an action, the import, a merge,
a raw UPDATE. The purge worker (`manage.py purge_http_cache`) reads the keys changed
since the last version it sent, a few times a second, and hands them to a backend:

- XkeyPurge: Varnish with vmod xkey (deploy/varnish/newsroom.vcl), a PURGE request
  with the keys in an xkey-purge header, to every address in settings.HTTP_CACHE_PURGE;
- SurrogateKeyPurge: any HTTP endpoint that takes PURGE with a Surrogate-Key header.

A CDN's tag purge (Fastly's surrogate keys, Cloudflare's cache tags) is another backend:
a class with purge(keys) that calls the CDN's API, named in
settings.HTTP_CACHE_PURGE_BACKEND. The pages already carry their keys in both headers.

The worker remembers how far it got in the default cache. Starting without knowing
(a first start, a cache emptied), it purges SITE, which every page carries: all of it.
Keys are not lost when a proxy cannot be reached: the same keys are sent again, with
whatever changed meanwhile, on the next round.
"""

from __future__ import annotations

import logging
import time
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils.module_loading import import_string

from articles.cache import keys as cache_keys
from articles.models import CacheKey

logger = logging.getLogger(__name__)

POSITION = "http_cache_purge.sent_version"
# Keys per request: a header of a few kilobytes, inside every proxy's limits (8 KiB).
KEYS_PER_REQUEST = 500


class PurgeFailed(Exception):
    pass


class XkeyPurge:
    """PURGE with an xkey-purge header: Varnish's vmod xkey removes every object that
    carries one of the keys."""

    method = "PURGE"
    header = "xkey-purge"

    def __init__(self, urls: list[str], timeout: float = 5.0):
        self.urls = urls
        self.timeout = timeout

    def purge(self, keys: list[str]) -> None:
        for start in range(0, len(keys), KEYS_PER_REQUEST):
            value = " ".join(keys[start : start + KEYS_PER_REQUEST])
            for url in self.urls:
                self._send(url, value)

    def _send(self, url: str, value: str) -> None:
        request = urllib.request.Request(url, method=self.method, headers={self.header: value})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except OSError as error:  # URLError, HTTPError (a refusal), timeouts
            raise PurgeFailed(f"{url}: {error}") from error


class SurrogateKeyPurge(XkeyPurge):
    """PURGE with a Surrogate-Key header, for a generic purge endpoint."""

    header = "Surrogate-Key"


def purge_backend():
    return import_string(settings.HTTP_CACHE_PURGE_BACKEND)(settings.HTTP_CACHE_PURGE)


def changed_after(version: int) -> tuple[int, list[str]]:
    """The keys changed after `version`, and the newest version among them."""
    changed = CacheKey.objects.filter(version__gt=version)
    newest = changed.aggregate(newest=Max("version"))["newest"]
    if newest is None:
        return version, []
    # In the version index's order: SQLite otherwise reads the keys' own index whole
    # for them, a scan of every key (130,000 at 100,000 articles).
    in_order = changed.filter(version__lte=newest).order_by("version")
    return newest, sorted(in_order.values_list("key", flat=True))


def purge_once(backend, sent: int | None) -> int:
    """One round: sends what changed after `sent` (everything when None); returns the
    version now sent. Raises PurgeFailed, having sent nothing for certain."""
    if sent is None:
        newest = CacheKey.objects.aggregate(newest=Max("version"))["newest"] or 0
        backend.purge([cache_keys.SITE])
    else:
        newest, changed = changed_after(sent)
        if changed:
            backend.purge(changed)
    cache.set(POSITION, newest, None)
    return newest


def run(backend, interval: float, rounds: int | None = None) -> None:
    sent = cache.get(POSITION)
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        try:
            sent = purge_once(backend, sent)
        except PurgeFailed as error:
            logger.warning("Purging the HTTP cache failed, trying again: %s", error)
        done += 1
        if rounds is None or done < rounds:
            time.sleep(max(interval - (time.monotonic() - started), 0))
