"""The URL of an object by its slug, reversed once per view name and then formatted.

`reverse()` matches its arguments against the view's patterns and quotes them on every
call: about 70 µs for an article's URL on the development machine. A list page links
dozens of articles, tags and places (the front page about 40), so that was a few
milliseconds of every uncached page. The URL of a slug view is the same text around
the slug each time: reversed once with a marker for the slug, the rest is joining
strings.

The pieces are remembered per URL resolver and script prefix, so that
`override_settings(ROOT_URLCONF=…)` (which replaces the resolver) and a site mounted
below a path (SCRIPT_NAME) get their own. A slug that is not a plain ASCII slug (which
reverse() would quote or refuse) takes the slow path and gets reverse()'s answer.
"""

import re
from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_MARK = "slug-url-mark"


@lru_cache(maxsize=128)
def _around_the_slug(viewname: str, resolver, script_prefix: str) -> tuple[str, str]:
    before, mark, after = reverse(viewname, kwargs={"slug": _MARK}).partition(_MARK)
    if not mark:
        raise ValueError(f"{viewname}: the slug does not appear in its URL")
    return before, after


def slug_url(viewname: str, slug: str) -> str:
    """reverse(viewname, kwargs={"slug": slug}), for views that take only a slug."""
    if not _PLAIN_SLUG.match(slug):
        return reverse(viewname, kwargs={"slug": slug})
    before, after = _around_the_slug(viewname, get_resolver(get_urlconf()), get_script_prefix())
    return before + slug + after
