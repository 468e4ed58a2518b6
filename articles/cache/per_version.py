"""Small things every page reads, kept in the process for one content version.

The site identity, the sections of the navigation and the authors behind the Kürzel
(and the layout's header and footer that show them, the {% per_version %} template
tag of articles.templatetags.newsroom) are the same for every page until something is
written, and every write raises the content version (articles.cache.triggers). A
request that knows the version it renders at (request.content_version, read by the
page cache middleware for every public request) reads each of them once per version
and process instead of once per page; a request without one (the admin, a management
command) reads it afresh.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_every: weakref.WeakSet[PerVersion] = weakref.WeakSet()


class PerVersion(Generic[T]):
    """read() once per content version in this process; the last version's value only
    (versions only grow, and a page never asks for an older one twice)."""

    def __init__(self, read: Callable[[], T] | None = None):
        self.read = read  # or given to at() each time (a template block's rendering)
        self._lock = threading.Lock()
        self._kept: tuple[int, T] | None = None
        _every.add(self)

    def at(self, version: int | None, read: Callable[[], T] | None = None) -> T:
        read = read or self.read
        if version is None:
            return read()
        kept = self._kept
        if kept is not None and kept[0] == version:
            return kept[1]
        value = read()
        with self._lock:
            self._kept = (version, value)
        return value

    def for_request(self, request) -> T:
        """At the version the request renders at, read once per request at most."""
        version = getattr(request, "content_version", None)
        memo = request.__dict__.setdefault("_per_version", {})
        kept = memo.get(id(self))
        if kept is not None and kept[0] == version:
            return kept[1]
        value = self.at(version)
        memo[id(self)] = (version, value)
        return value

    def forget(self) -> None:
        """Drop the kept value (tests that write without raising the version)."""
        with self._lock:
            self._kept = None


def forget_all() -> None:
    """Drop every kept value: tests roll back their writes, and with them the content
    version, so the next test may render at a version an earlier one kept values for."""
    for kept in list(_every):
        kept.forget()
