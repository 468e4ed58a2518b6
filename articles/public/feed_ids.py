"""Ids of feeds and their entries: tag URIs (RFC 4151), stable for ever.

An Atom id (and an RSS guid) must never change and never be reused (RFC 4287, 4.2.6).
The article's URL changes when its slug does, so the id is built from what does not:
the site's tagging authority and the primary key, e.g.
"tag:news.example.org,2026:artikel/42".

The authority is "host,date" (RFC 4151, 2.1): a host the operator held on that date.
settings.FEED_ID_AUTHORITY (DJANGO_FEED_ID_AUTHORITY) sets it; empty, it is the host of
SITE_URL (the request's in development) with the year the site started. Set it once
the site has its name and keep it: a change makes every reader show every entry anew.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from articles.site_url import site_scheme_and_host

# The year this site went online: a date on which its operator held the host.
SITE_START_YEAR = 2026

# RFC 4151: taggingEntity = authorityName "," date; a DNS name (or an e-mail address)
# and YYYY, YYYY-MM or YYYY-MM-DD.
_AUTHORITY = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"|[a-z0-9.!$&'()*+=_~-]+@[a-z0-9.-]+)"
    r",[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?"
)


def check_authority(value: str) -> str:
    if not _AUTHORITY.fullmatch(value):
        raise ImproperlyConfigured(
            "DJANGO_FEED_ID_AUTHORITY must be host,date as in RFC 4151, e.g. "
            f"news.example.org,2026 or news.example.org,2026-01-15, not {value!r}."
        )
    return value


if settings.FEED_ID_AUTHORITY:
    check_authority(settings.FEED_ID_AUTHORITY)


def tagging_authority(request) -> str:
    if settings.FEED_ID_AUTHORITY:
        return settings.FEED_ID_AUTHORITY
    hostname = urlsplit(f"//{site_scheme_and_host(request)[1]}").hostname  # without the port
    return f"{hostname},{SITE_START_YEAR}"


def tag_uri(request, specific: str) -> str:
    return f"tag:{tagging_authority(request)}:{specific}"


def article_id(request, article) -> str:
    return tag_uri(request, f"artikel/{article.pk}")


def feed_id(request, kind: str = "", obj=None) -> str:
    """The feed of everything ("feed") or of one section, tag or place by primary key
    ("feed/thema/7"): the id survives the object's renaming."""
    return tag_uri(request, f"feed/{kind}/{obj.pk}" if obj is not None else "feed")
