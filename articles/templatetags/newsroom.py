import json
from datetime import date
from functools import lru_cache

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles.cache.per_version import PerVersion

register = template.Library()


class PerVersionNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.kept = PerVersion()  # one per block of a compiled (cached) template

    def render(self, context):
        version = getattr(context.get("request"), "content_version", None)
        return self.kept.at(version, lambda: self.nodelist.render(context))


@register.tag
def per_version(parser, token):
    """{% per_version %}…{% endper_version %}: rendered once per content version in this
    process, for a part of the layout that shows only what a write changes (the site's
    name, the navigation, the addresses of the site's own pages) and never anything of
    the request (the search words, the user). Without a content version (the admin's
    previews) it renders every time."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% per_version %} takes no arguments")
    nodelist = parser.parse(("endper_version",))
    parser.delete_first_token()
    return PerVersionNode(nodelist)


# Rendered filter fields of the latest content version and day, by what they show.
_filter_fields: PerVersion[dict] = PerVersion(dict)
FILTER_FIELDS_KEPT = 500  # shown states kept at most; past that, fields render each time


@register.simple_tag(takes_context=True)
def filter_field(context, field) -> str:
    """{{ field.label_tag }} {{ field }} of a reader's filter form, rendered once per
    content version, day and shown state in this process.

    Django renders a select through a template per option: the search page's Bereich,
    Land and Jahr took 11 ms of a 50 ms page, and read the Bereiche and Länder each
    time. What a field shows depends on the content version (the options), the day (the
    years offered), and its state: the value when valid (then one of its options), or
    only that it is invalid, since an invalid value is not shown. So the states are
    bounded by the options. Without a content version (previews) it renders every time.
    """
    version = getattr(context.get("request"), "content_version", None)
    rendered = _filter_fields.at(None if version is None else (version, timezone.localdate()))
    invalid = bool(field.errors)
    # django-filter makes a form class per request; its name is the filter set's.
    state = (type(field.form).__name__, field.html_name, field.auto_id, invalid)
    state += (None,) if invalid else (repr(field.value()),)
    html = rendered.get(state)
    if html is None:
        html = format_html("{} {}", field.label_tag(), field)  # both rendered safe
        if len(rendered) < FILTER_FIELDS_KEPT:
            rendered[state] = html
    return html


@register.filter
def ld_json(data) -> str:
    """A JSON-LD <script>; '<', '>' and '&' escaped so imported text cannot end the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


# The public pages' dates. Django's date filter parses its format and builds a formatter
# for every value: 30 dates of a page with sidebars took 1.9 ms against 0.3 ms for the
# loop without them. These give the same text.


@lru_cache(maxsize=4096)
def _long_date(day: date, language: str) -> str:
    return date_format(day, "j. F Y")


@register.filter(expects_localtime=True, is_safe=False)
def german_date(value) -> str:
    """ "8. Juli 2019", as the date filter's "j. F Y", on the site's time zone's day."""
    if not isinstance(value, date):
        return ""
    return _long_date(value if type(value) is date else value.date(), get_language())


@register.filter(expects_localtime=True, is_safe=False)
def isoformat(value) -> str:
    """ISO 8601 with the offset, as the date filter's "c" (a <time datetime>)."""
    return value.isoformat() if isinstance(value, date) else ""
