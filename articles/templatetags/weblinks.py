"""{{ article.links.all|weblinks }}: the weblinks a page shows (articles.public.weblinks)."""

from django import template

from articles.public.weblinks import weblinks as shown_weblinks

register = template.Library()


@register.filter
def weblinks(links):
    return shown_weblinks(links)
