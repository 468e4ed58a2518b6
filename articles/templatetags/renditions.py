"""Image renditions in templates: {% article_picture article as picture %} for the
column, {% preview_image article as card %} for link previews (og:image, twitter:image).
"""

from django import template

from articles import renditions
from articles.identity.current import site_identity
from articles.site_url import absolute_url

register = template.Library()


@register.simple_tag
def article_picture(article):
    """The article's <picture> renditions, or None (no image, or a broken file)."""
    return renditions.article_picture(article)


@register.simple_tag(takes_context=True)
def preview_image(context, article=None):
    """The link-preview image with an absolute URL: the article's, else the site's
    default image, else None."""
    request = context["request"]
    identity = context.get("site") or site_identity(request)
    image = renditions.preview_image(article, identity)
    if image is None:
        return None
    return {
        "url": absolute_url(request, image.rendition.url),
        "width": image.rendition.width,
        "height": image.rendition.height,
        "type": image.rendition.mime_type,
        "alt": image.alt,
    }
