"""System checks for a deployment: settings that are valid but wrong behind a proxy.

`manage.py check --deploy` runs them (CI does, with --fail-level WARNING).
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_count_behind_tls_proxy(app_configs, **kwargs):
    """DJANGO_TLS=1 means a proxy in front; without DJANGO_PROXY_COUNT every client has
    the proxy's address, and one bad actor's failed logins lock every editor out."""
    if settings.TLS and not settings.AXES_IPWARE_PROXY_COUNT:
        return [
            Warning(
                "DJANGO_TLS is on (a reverse proxy in front) but DJANGO_PROXY_COUNT is not "
                "set: every client seems to come from the proxy's address, so login "
                "throttling locks out everyone behind it at once.",
                hint="Set DJANGO_PROXY_COUNT to the number of proxies in front of the app "
                "servers (usually 1); see docs/deployment.md.",
                id="newsroom.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def site_url_is_set_and_secure(app_configs, **kwargs):
    """Absolute URLs are built from SITE_URL; behind TLS they must be https."""
    warnings = []
    if not settings.SITE_URL_FROM_ENV:
        warnings.append(
            Warning(
                "DJANGO_SITE_URL is not set: canonical links, feeds and sitemaps use "
                f"{settings.SITE_URL or 'the request’s host'!s}.",
                hint="Set DJANGO_SITE_URL to the public address, e.g. https://news.example.org.",
                id="newsroom.W002",
            )
        )
    if settings.TLS and settings.SITE_URL.startswith("http://"):
        warnings.append(
            Warning(
                f"DJANGO_TLS is on but the site URL is {settings.SITE_URL}: canonical links "
                "would point readers and crawlers to plain HTTP.",
                hint="Use an https:// DJANGO_SITE_URL.",
                id="newsroom.W003",
            )
        )
    return warnings
