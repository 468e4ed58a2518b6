from django.conf import settings

from articles.cache.per_version import PerVersion
from articles.identity.current import site_identity
from articles.models import Section

_navigation = PerVersion(lambda: list(Section.objects.only("name", "slug")))


def navigation_sections(request) -> list[Section]:
    """The sections of the navigation, by name (the front's section blocks too)."""
    return _navigation.for_request(request)


def site(request):
    """Site identity, navigation, and the data credit every page with register data must
    carry."""
    identity = site_identity(request)
    return {
        "site": identity,
        "site_name": identity.name,
        "register_credit": settings.MUNICIPAL_REGISTER_CREDIT,
        "navigation_sections": navigation_sections(request),
    }
