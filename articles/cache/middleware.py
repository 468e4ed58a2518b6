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

from articles.cache.content_version import current_version_checking_connection

logger = logging.getLogger(__name__)


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
    """Whole public pages for anonymous readers, from the cache, keyed by content version.

    The last middleware: what it stores is the view's response, so CSP, Cache-Control
    and ETag headers are added by the outer middleware on every request, hit or miss.
    Any write to public content raises the version (articles.cache.content_version), which
    makes all stored pages stale at once; a page is also kept no longer than until the
    next scheduled article goes public. Nothing is stored for logged-in users, for the
    admin, or for a response that wrote the session or used the CSRF token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        prefix = getattr(request, "_page_cache_prefix", None)
        if prefix is not None and self._storable(request, response):
            cache = caches[settings.PAGE_CACHE_ALIAS]
            timeout = self._timeout(request._page_cache_version)
            if timeout > 0:
                # One chunk: a feed is written in hundreds of small pieces, and a WSGI
                # server sends each piece of a stored response as a write of its own.
                response.content = response.content
                key = learn_cache_key(request, response, timeout, prefix, cache=cache)
                cache.set(key, response, timeout)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._cacheable(request, view_func):
            return None
        try:
            version = current_version_checking_connection()
        except DatabaseError:
            return None  # the view reports the outage in its own way
        request.content_version = version  # for fragments (content_version.request_version)
        prefix = f"page.{version}"
        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = get_cache_key(request, prefix, "GET", cache=cache)
        cached = cache.get(key) if key else None
        if cached is not None:
            return cached
        if request.method == "GET":
            request._page_cache_prefix, request._page_cache_version = prefix, version
        return None

    @staticmethod
    def _cacheable(request, view_func) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
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
    def _timeout(version: int) -> int:
        timeout = settings.PAGE_CACHE_SECONDS
        next_publication = next_scheduled_publication(version)
        if next_publication is not None:
            until = (next_publication - timezone.now()).total_seconds()
            timeout = min(timeout, max(int(until), 0))
        return timeout


_MISSING = object()


def next_scheduled_publication(version: int):
    """When the next scheduled article goes public; asked once per content version (the
    answer is cached beside the pages) and again when that moment has passed."""
    from articles.models import Article

    cache = caches[settings.PAGE_CACHE_ALIAS]
    key = f"page.{version}.next_publication"
    upcoming = cache.get(key, _MISSING)
    if upcoming is _MISSING or (upcoming is not None and upcoming <= timezone.now()):
        upcoming = Article.objects.scheduled().aggregate(next=Min("published_at"))["next"]
        cache.set(key, upcoming, settings.PAGE_CACHE_SECONDS)
    return upcoming
