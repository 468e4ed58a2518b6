import logging

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone
from django.utils.cache import (
    get_cache_key,
    has_vary_header,
    learn_cache_key,
    patch_cache_control,
)

from articles.cache import keys
from articles.cache.content_version import (
    changed_since,
    checking_connection,
    current_version_checking_connection,
)

logger = logging.getLogger(__name__)

PAGE_PREFIX = "page"
# A view that names recheck data for its page (request.page_cache_recheck_data) and has
# a page_cache_recheck(request, version, data) that tells on a hit whether its page is
# still fresh, is stored without these keys: the recheck stands in for them. HTTP
# caches in front cannot recheck; they get them all.
RECHECKED_KEYS = {keys.ANY_ARTICLE}


class ProxyCountWarningMiddleware:
    """Logs once per process when requests carry X-Forwarded-For and DJANGO_PROXY_COUNT
    is not set: the app is behind a proxy that it does not know of, so every client has
    the proxy's address and login throttling locks out all of them together.

    Not used at all when the proxy count is set.
    """

    def __init__(self, get_response):
        if settings.AXES_IPWARE_PROXY_COUNT:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.warned = False

    def __call__(self, request):
        if not self.warned and "HTTP_X_FORWARDED_FOR" in request.META:
            self.warned = True
            logger.warning(
                "Requests arrive with X-Forwarded-For but DJANGO_PROXY_COUNT is not set: "
                "every client is taken to be %s, and five failed logins from anyone behind "
                "the proxy lock that user name out for all of them. Set DJANGO_PROXY_COUNT "
                "to the number of proxies in front of the app (docs/deployment.md).",
                request.META.get("REMOTE_ADDR", "the proxy"),
            )
        return self.get_response(request)


class PublicCacheControlMiddleware:
    """A short public max-age on anonymous GETs of public pages; never on the admin.

    Pages that set their own Cache-Control (previews: no-cache) keep it; logged-in
    users get private, revalidated responses so that editors see their changes at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("Cache-Control")
            and not request.path.startswith(f"/{settings.ADMIN_URL}")
        ):
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE)
        return response


def page_cache_exempt(view):
    """Keep a view out of the page cache (health checks: they must really run)."""
    view.page_cache_exempt = True
    return view


class PageCacheMiddleware:
    """Whole public pages for anonymous readers, from the cache, kept until what they
    show changes.

    The last middleware: what it stores is the view's response, so CSP, Cache-Control
    and ETag headers are added by the outer middleware on every request, hit or miss.
    A page is stored with the content version it was rendered at and the cache keys of
    what it showed (articles.cache.keys); it is served while none of those keys changed
    since, which one indexed lookup tells (the triggers of articles.cache.triggers
    record every write's keys), and kept no longer than until the next scheduled
    article goes public. A view may instead recheck its page on a hit in a way of its
    own (RECHECKED_KEYS): search results, which any article's edit may change, look
    whether one of the articles changed since then is among their hits or now matches.
    Nothing is stored for logged-in users, for the admin, or for a response that wrote
    the session or used the CSRF token.

    When an HTTP cache is in front (settings.HTTP_CACHE_PURGE), public pages also carry
    their keys (xkey, Surrogate-Key) and how long the proxy may keep them
    (Surrogate-Control): the purge worker (articles.cache.purge) tells it what changed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with keys.collecting() as collected:
            response = self.get_response(request)
        if getattr(request, "_page_cache_public", False) and self._storable(request, response):
            self._publish(request, response, keys.page_keys(collected))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._public(request, view_func):
            return None
        try:
            cached = self._cached(request, view_func) if settings.PAGE_CACHE_SECONDS > 0 else None
            if cached is not None:
                return cached
            # Also with the page cache off: what every page shows (identity, navigation,
            # authors) is kept per version (articles.cache.per_version).
            if getattr(request, "content_version", None) is None:
                request.content_version = current_version_checking_connection()
        except DatabaseError:
            return None  # the view reports the outage in its own way
        request._page_cache_public = settings.PAGE_CACHE_SECONDS > 0 or bool(
            settings.HTTP_CACHE_PURGE
        )
        return None

    @staticmethod
    def _cached(request, view_func):
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = get_cache_key(request, PAGE_PREFIX, "GET", cache=cache)
        entry = cache.get(key) if key else None
        if entry is None:
            return None
        # Entries stored before views could name recheck data have three parts.
        version, page_keys, response, recheck_data = (*entry, None)[:4]
        changed, request.content_version = checking_connection(changed_since, version, page_keys)
        # A page from a version this database has not reached was rendered from content
        # it no longer has (restored from a backup into a cache that outlived it).
        if changed or version > request.content_version:
            return None
        if recheck_data is not None and request.content_version > version:
            recheck = getattr(getattr(view_func, "view_class", None), "page_cache_recheck", None)
            if recheck is None or not recheck(request, version, recheck_data):
                return None
            # Fresh as of now: the next hit rechecks only what changes later.
            timeout = keep_for(request.content_version, settings.PAGE_CACHE_SECONDS)
            cache.set(key, (request.content_version, page_keys, response, recheck_data), timeout)
        return response

    def _publish(self, request, response, page_keys: list[str]) -> None:
        if settings.HTTP_CACHE_PURGE:
            proxy_timeout = self._timeout(request.content_version, settings.HTTP_CACHE_SECONDS)
            response["xkey"] = response["Surrogate-Key"] = " ".join(page_keys)
            response["Surrogate-Control"] = f"max-age={proxy_timeout}"
        timeout = self._timeout(request.content_version)
        # Only a GET's response is stored: a HEAD's may have lost its body on the way.
        if settings.PAGE_CACHE_SECONDS > 0 and timeout > 0 and request.method == "GET":
            # One chunk: a feed is written in hundreds of small pieces, and a WSGI
            # server sends each piece of a stored response as a write of its own.
            response.content = response.content
            cache = caches[settings.PAGE_CACHE_ALIAS]
            key = learn_cache_key(request, response, timeout, PAGE_PREFIX, cache=cache)
            recheck_data = getattr(request, "page_cache_recheck_data", None)
            if recheck_data is not None:
                # What the view rechecks itself on each hit, it need not be stale for.
                page_keys = [name for name in page_keys if name not in RECHECKED_KEYS]
            cache.set(key, (request.content_version, page_keys, response, recheck_data), timeout)

    @staticmethod
    def _public(request, view_func) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not getattr(view_func, "page_cache_exempt", False)
            and not request.path.startswith(f"/{settings.ADMIN_URL}")
            and not request.user.is_authenticated
        )

    @staticmethod
    def _storable(request, response) -> bool:
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not has_vary_header(response, "Cookie")
            and "private" not in response.get("Cache-Control", "")
            and "no-cache" not in response.get("Cache-Control", "")
            and not (session is not None and session.modified)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )

    @staticmethod
    def _timeout(version: int, longest: int | None = None) -> int:
        """How long a page may be kept: `longest` (PAGE_CACHE_SECONDS unless given),
        never past the next scheduled publication."""
        return keep_for(version, settings.PAGE_CACHE_SECONDS if longest is None else longest)


def keep_for(version: int, longest: int) -> int:
    """Seconds, at most `longest`, that what was read at `version` may be kept: never
    past the next scheduled publication, which changes lists without a write."""
    next_publication = next_scheduled_publication(version)
    if next_publication is not None:
        until = (next_publication - timezone.now()).total_seconds()
        return min(longest, max(int(until), 0))
    return longest


_MISSING = object()


def next_scheduled_publication(version: int):
    """When the next scheduled article goes public; asked once per content version (the
    answer is cached beside the pages) and again when that moment has passed."""
    from articles.models import Article

    cache = caches[settings.PAGE_CACHE_ALIAS]
    key = f"{PAGE_PREFIX}.{version}.next_publication"
    upcoming = cache.get(key, _MISSING)
    if upcoming is _MISSING or (upcoming is not None and upcoming <= timezone.now()):
        upcoming = Article.objects.scheduled().aggregate(next=Min("published_at"))["next"]
        cache.set(key, upcoming, settings.PAGE_CACHE_SECONDS or settings.HTTP_CACHE_SECONDS)
    return upcoming
