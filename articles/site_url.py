"""The site's canonical address: every absolute URL the site emits is built here.

Canonical links, JSON-LD, feeds, sitemaps and robots.txt take scheme, host and port
from settings.SITE_URL, never from the request's Host header: any client may send
"Host: localhost:1337", which passes ALLOWED_HOSTS (it ignores the port) and would
otherwise be written into pages that caches and crawlers keep. Only a development
server without SITE_URL follows the request.
"""

from urllib.parse import urlsplit

from django.conf import settings


def configured_scheme_and_host() -> tuple[str, str] | None:
    """("https", "news.example.org") from SITE_URL, the host with its port if it has one;
    None in development without SITE_URL."""
    if not settings.SITE_URL:
        return None
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc


def site_scheme_and_host(request) -> tuple[str, str]:
    return configured_scheme_and_host() or (request.scheme, request.get_host())


def absolute_url(request, path: str) -> str:
    """`path` (an absolute path such as "/artikel/x/") on the canonical site."""
    scheme, host = site_scheme_and_host(request)
    return f"{scheme}://{host}{path}"
