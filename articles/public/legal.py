"""The legal pages: Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit.

Their facts come from the site identity (articles/identity), which Chefredaktion keeps
in the admin; what is still missing is said plainly on the page, never invented.
"""

from django.conf import settings
from django.views.generic import TemplateView

from articles.identity.current import site_identity


class LegalPageView(TemplateView):
    def get_context_data(self, **kwargs):
        identity = site_identity(self.request)
        return super().get_context_data(
            identity=identity,
            missing=identity.missing_fields,
            admin_url=f"/{settings.ADMIN_URL}",
            **kwargs,
        )


class ImprintView(LegalPageView):
    template_name = "legal/imprint.html"


class PrivacyView(LegalPageView):
    template_name = "legal/privacy.html"


class AccessibilityView(LegalPageView):
    template_name = "legal/accessibility.html"
