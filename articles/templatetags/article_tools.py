"""The article tools under an article: {% load article_tools %}."""

from urllib.parse import quote

from django import template

register = template.Library()


@register.simple_tag
def mailto_href(title: str, url: str) -> str:
    """The "Link mailen" address: no recipient, subject the title, body the URL (RFC 6068;
    percent-encoded as UTF-8, spaces as %20 rather than "+"). No third party is involved;
    the template escapes the result for the attribute."""
    return f"mailto:?subject={quote(title, safe='')}&body={quote(url, safe='')}"
