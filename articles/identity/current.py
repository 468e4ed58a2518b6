"""The site identity as pages read it.

Every public page shows the site's name and footer. Where the page cache has read the
content version for the request (the database triggers raise it when Chefredaktion
saves the identity, like any public content), the row is kept in the process per
version; otherwise it costs one primary-key lookup.
"""

import threading

from articles.identity.models import SiteIdentity

_lock = threading.Lock()
_cached: tuple[int, SiteIdentity] | None = None


def site_identity(request=None) -> SiteIdentity:
    """The identity at the request's content version, or read now (once per request:
    the page's head, its JSON-LD and its preview image all ask)."""
    if request is None:
        return SiteIdentity.load()
    version = getattr(request, "content_version", None)
    kept = getattr(request, "_site_identity", None)
    if kept is not None and kept[0] == version:
        return kept[1]
    identity = _at_version(version)
    request._site_identity = (version, identity)
    return identity


def _at_version(version) -> SiteIdentity:
    global _cached
    if version is None:
        return SiteIdentity.load()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    identity = SiteIdentity.load()
    with _lock:
        _cached = (version, identity)
    return identity


def forget() -> None:
    """Drop the kept row (tests that write it without raising the version)."""
    global _cached
    _cached = None
