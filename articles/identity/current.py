"""The site identity as pages read it.

Every public page shows the site's name and footer. Where the request knows its content
version (the page cache middleware reads it for every public request; the database
triggers raise it when Chefredaktion saves the identity, like any public content), the
row is kept in the process per version (articles.cache.per_version); otherwise it costs
one primary-key lookup.
"""

from articles.cache.per_version import PerVersion
from articles.identity.models import SiteIdentity

_identity = PerVersion(SiteIdentity.load)


def site_identity(request=None) -> SiteIdentity:
    """The identity at the request's content version, or read now (once per request:
    the page's head, its JSON-LD and its preview image all ask)."""
    if request is None:
        return SiteIdentity.load()
    return _identity.for_request(request)


def forget() -> None:
    """Drop the kept row (tests that write it without raising the version)."""
    _identity.forget()
