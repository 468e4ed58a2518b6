from django.conf import settings


def site(request):
    """Site name and the data credit that every page showing register data must carry."""
    return {
        "site_name": settings.SITE_NAME,
        "register_credit": settings.MUNICIPAL_REGISTER_CREDIT,
    }
