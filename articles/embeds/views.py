"""The embed pages: plain HTML, no script, no cookies; framable from any site.

Every other page keeps `frame-ancestors 'none'` and X-Frame-Options DENY; these two
views replace the directive with `*` and drop X-Frame-Options. Both marks travel with
the response object, so page-cache hits carry them too.
"""

from csp.decorators import csp_replace
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import TemplateView

from articles.cache import keys as cache_keys
from articles.models import Article, Municipality, Tag
from articles.register.grammar import news_from
from articles.site_url import absolute_url

DEFAULT_COUNT = 10
MAX_COUNT = 20
COUNT_PARAMETER = "anzahl"


def framable(view_class):
    view_class.dispatch = method_decorator(xframe_options_exempt)(view_class.dispatch)
    view_class.dispatch = method_decorator(csp_replace({"frame-ancestors": ["*"]}))(
        view_class.dispatch
    )
    return view_class


class EmbedView(TemplateView):
    template_name = "embeds/article_list.html"

    def get(self, request, *args, **kwargs):
        self.count = self.requested_count()
        if self.count is None:
            context = {
                "error": f"Die Anzahl („{COUNT_PARAMETER}“) muss eine ganze Zahl "
                f"von 1 bis {MAX_COUNT} sein."
            }
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def requested_count(self) -> int | None:
        value = self.request.GET.get(COUNT_PARAMETER)
        if value is None:
            return DEFAULT_COUNT
        if not value.isdigit() or not 1 <= int(value) <= MAX_COUNT:
            return None
        return int(value)

    def subject(self):
        """The place or Thema the embed is about."""
        raise NotImplementedError

    def heading(self, subject) -> str:
        """What follows "Nachrichten" in the heading and the title."""
        raise NotImplementedError

    def articles(self, subject):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        subject = self.subject()
        cache_keys.only_lists(cache_keys.list_of(subject))
        return super().get_context_data(
            subject=subject,
            heading=self.heading(subject),
            more_url=absolute_url(self.request, subject.get_absolute_url()),
            articles=[
                (article, absolute_url(self.request, article.get_absolute_url()))
                for article in self.articles(subject)
                .select_related(None)
                .only("slug", "kicker", "title", "published_at", "kind")[: self.count]
            ],
            **kwargs,
        )


@framable
class PlaceEmbedView(EmbedView):
    """/einbetten/kommune/<ags>/: the place and everything below it (a Kreis's Gemeinden)."""

    def subject(self):
        return get_object_or_404(Municipality, ags=self.kwargs["ags"])

    def heading(self, place) -> str:
        return news_from(place)  # after "Nachrichten": "aus dem Kreis Unna"

    def articles(self, place):
        return Article.objects.published().about_place(place)


@framable
class TagEmbedView(EmbedView):
    """/einbetten/thema/<slug>/: one Thema."""

    def subject(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def heading(self, tag) -> str:
        return f"zum Thema {tag.name}"

    def articles(self, tag):
        return Article.objects.published().tagged(tag)


def embed_snippet(request, url_name: str, title: str, **kwargs) -> str:
    """The iframe a municipality pastes into its own page: text to show and copy, not
    markup (the template escapes it once more for display)."""
    url = absolute_url(request, reverse(url_name, kwargs=kwargs))
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="480" '
        'loading="lazy" style="border: 1px solid #d9d9d9"></iframe>'
    )
