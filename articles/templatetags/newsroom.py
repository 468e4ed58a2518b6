import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

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


@register.filter
def ld_json(data) -> str:
    """A JSON-LD <script>; '<', '>' and '&' escaped so imported text cannot end the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
