from django.conf import settings

from articles.identity.current import site_identity
from articles.models import Section


def site(request):
    """Site identity, navigation, and the data credit every page with register data must
    carry."""
    identity = site_identity(request)
    return {
        "site": identity,
        "site_name": identity.name,
        "register_credit": settings.MUNICIPAL_REGISTER_CREDIT,
        "navigation_sections": Section.objects.only("name", "slug"),
    }
