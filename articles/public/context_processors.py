from django.conf import settings

from articles.models import Section


def site(request):
    """Site name, navigation, and the data credit every page with register data must carry."""
    return {
        "site_name": settings.SITE_NAME,
        "register_credit": settings.MUNICIPAL_REGISTER_CREDIT,
        "navigation_sections": Section.objects.only("name", "slug"),
    }
