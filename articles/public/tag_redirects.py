"""Old tag URLs: a renamed or merged tag's former slug answers with a 301 to its current page.

Tag.save() keeps the old slug as a TagRedirect, Tag.absorb() keeps the merged tags' slugs
and points their redirects at the surviving tag, so a chain of merges (a into b, b into c)
is one hop: the redirect names the tag, not the slug it had.
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from articles.models import Tag, TagRedirect


class TagMoved(Exception):
    """The slug asked for is a former one of `tag`."""

    def __init__(self, tag: Tag):
        super().__init__(tag.slug)
        self.tag = tag

    def redirect(self, request) -> HttpResponsePermanentRedirect:
        """301 to the same view (page or feed) under the tag's slug, keeping the query."""
        url = reverse(request.resolver_match.view_name, kwargs={"slug": self.tag.slug})
        query = request.GET.urlencode()
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def tag_by_slug(slug: str, queryset=None) -> Tag:
    """The tag under `slug`; raises TagMoved when it is a former slug, else Http404.

    One query for a current slug; the redirect is looked up only when that misses."""
    tag = (queryset if queryset is not None else Tag.objects).filter(slug=slug).first()
    if tag is not None:
        return tag
    moved = TagRedirect.objects.filter(old_slug=slug).select_related("tag").first()
    if moved is not None:
        raise TagMoved(moved.tag)
    raise Http404("Kein Stichwort unter dieser Adresse.")
