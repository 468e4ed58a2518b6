from django.conf import settings
from django.utils.cache import patch_cache_control


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
