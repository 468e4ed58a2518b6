"""Images in structured data: the article's renditions and the publisher's logo."""

from django.urls import reverse

from articles import renditions
from articles.identity.current import site_identity
from articles.site_url import absolute_url


def image_object(request, rendition) -> dict:
    return {
        "@type": "ImageObject",
        "url": absolute_url(request, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }


def article_images(request, article) -> list[dict]:
    """The social card and the largest column rendition; the site's default image for
    an article without one; empty when neither exists."""
    identity = site_identity(request)
    picture = renditions.article_picture(article)
    card = renditions.preview_image(article, identity)
    images = [image_object(request, card.rendition)] if card else []
    if picture is not None:
        images.append(image_object(request, picture.largest))
    return images


def publisher(request) -> dict:
    """The site as schema.org Organization: name, home page and, if uploaded, logo."""
    identity = site_identity(request)
    data = {
        "@type": "Organization",
        "name": identity.name,
        "url": absolute_url(request, reverse("articles:list")),
    }
    if "_logo" not in identity.__dict__:
        identity.__dict__["_logo"] = renditions.logo(identity.logo)
    logo = identity.__dict__["_logo"]
    if logo is not None:
        data["logo"] = image_object(request, logo)
    return data
