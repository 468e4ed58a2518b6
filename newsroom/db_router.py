"""Public reads from a read replica (DATABASE_REPLICA_URL), everything else from the primary.

`ReplicaReadsMiddleware` marks a request as a public read: GET or HEAD, outside the
admin, by an anonymous reader (the session is read from the primary before the mark is
set). `PrimaryReplicaRouter` then sends that request's ORM reads to the replica, and
every other read and every write to the primary ("default"):

- writes always go to the primary, and once a request wrote, its reads do too
  (read-your-writes); reads inside a transaction on the primary stay there;
- sessions, users, login throttling and the task queue are read from the primary only;
- management commands and the task worker run outside any request: primary;
- the replica is used for a request only when it has replayed every write the primary
  had when the request began. The content version (articles.cache.content_version)
  is a counter that every write to public content raises in its own transaction, so
  the replica's counter says how far it has got. The page cache stores each page with
  the primary's version it read at the start of the request; a page rendered from a
  replica that is behind would be stored as current while it shows older content (and
  an HTTP cache in front would keep it until the next purge). So a replica behind the
  primary, or one that does not answer, leaves the request on the primary.

The check costs one primary-key lookup on the replica per request that reads anything
(the page cache has read the primary's version already; with it off, one more on the
primary). Raw SQL on `django.db.connection` always runs on the primary.
"""

from __future__ import annotations

import contextvars
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connections

PRIMARY = "default"
REPLICA = "replica"
# Read from the primary only: what decides who a request is, and the worker's queue.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "django_tasks_db", "admin"})

# After the replica failed to answer, this process reads from the primary this long.
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)
_replica_down_until = 0.0


@dataclass
class PublicRead:
    """The routing state of one public read request."""

    request: object = None
    wrote: bool = False
    replica_ok: bool | None = None  # decided at the request's first routed read
    reasons: list[str] = field(default_factory=list)


_public_read: contextvars.ContextVar[PublicRead | None] = contextvars.ContextVar(
    "newsroom_public_read", default=None
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def public_read(request=None):
    """Route the reads of this block (one public request) to the replica where safe."""
    state = PublicRead(request=request)
    token = _public_read.set(state)
    try:
        yield state
    finally:
        _public_read.reset(token)


def primary_version(request) -> int:
    """The primary's content version as the request works with it: read by the page
    cache at the request's start, or else now."""
    from articles.cache.content_version import current_version

    version = getattr(request, "content_version", None)
    return current_version(using=connections[PRIMARY]) if version is None else version


def replica_version() -> int:
    """The replica's content version, as its connection's first query in a request
    (articles.cache.content_version.checking_connection: a connection that went away
    while idle is replaced without a separate health check)."""
    from articles.cache.content_version import checking_connection, current_version

    return checking_connection(current_version, using=connections[REPLICA])


def close_replica_connection() -> None:
    """A failed connection is opened anew on the next try."""
    connections[REPLICA].close()


def _replica_usable(state: PublicRead) -> bool:
    global _replica_down_until
    if state.replica_ok is not None:
        return state.replica_ok
    if time.monotonic() < _replica_down_until:
        state.replica_ok = False
        state.reasons.append("replica unreachable a moment ago")
        return False
    primary = primary_version(state.request)
    try:
        replica = replica_version()
    except DatabaseError as error:
        logger.warning(
            "Read replica unusable, reading from the primary for %d s: %s",
            RETRY_AFTER_SECONDS,
            error,
        )
        _replica_down_until = time.monotonic() + RETRY_AFTER_SECONDS
        close_replica_connection()
        state.replica_ok = False
        state.reasons.append("replica unreachable")
        return False
    state.replica_ok = replica >= primary
    if not state.replica_ok:
        state.reasons.append(f"replica behind (version {replica} < {primary})")
    return state.replica_ok


class PrimaryReplicaRouter:
    """See the module's docstring."""

    def db_for_read(self, model, **hints):
        state = _public_read.get()
        if (
            state is None
            or state.wrote
            or not replica_configured()
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA if _replica_usable(state) else PRIMARY

    def db_for_write(self, model, **hints):
        state = _public_read.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Marks anonymous GET and HEAD requests outside the admin as public reads.

    After AuthenticationMiddleware: the user (and the session) is looked up on the
    primary before the mark is set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (replica_configured() and self.is_public_read(request)):
            return self.get_response(request)
        with public_read(request):
            return self.get_response(request)

    @staticmethod
    def is_public_read(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(f"/{settings.ADMIN_URL}")
            and not request.user.is_authenticated
        )
