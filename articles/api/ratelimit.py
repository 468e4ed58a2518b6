"""The API's per-client rate limit: fixed windows counted in the cache (django-ratelimit).

A middleware rather than a check inside the operations, so that page-cache hits count
too: a client is limited by how often it asks, not by how often we had to render.
The client is the address the login throttling sees (axes, which knows the proxies in
front: DJANGO_PROXY_COUNT); IPv6 clients are counted per /64, as django-ratelimit does.
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django_ratelimit.core import get_usage

from articles.api.problems import problem_response

API_PREFIX = "/api/"


def client_address(request) -> str:
    """settings.RATELIMIT_IP_META_KEY: django-ratelimit's "ip" key asks this."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


class ApiRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = settings.API_RATE_LIMIT
        if not rate or not request.path.startswith(API_PREFIX) or request.method == "OPTIONS":
            return self.get_response(request)
        usage = get_usage(request, group="api", key="ip", rate=rate, increment=True)
        if usage is None:
            return self.get_response(request)
        if usage["should_limit"]:
            wait = max(usage["time_left"], 1)
            return problem_response(
                request,
                429,
                f"Mehr als {usage['limit']} Anfragen in kurzer Zeit. "
                f"Bitte in {wait} Sekunden erneut versuchen.",
                headers={
                    "Retry-After": str(wait),
                    "RateLimit-Limit": str(usage["limit"]),
                    "RateLimit-Remaining": "0",
                    "Cache-Control": "no-store",
                },
            )
        response = self.get_response(request)
        response["RateLimit-Limit"] = str(usage["limit"])
        response["RateLimit-Remaining"] = str(max(usage["limit"] - usage["count"], 0))
        return response
