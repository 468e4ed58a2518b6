"""articles.slug_urls: reverse()'s answer for slug views, without reverse()'s cost."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix

from articles.slug_urls import slug_url

SLUG_VIEWS = [
    "articles:detail",
    "articles:tag",
    "articles:section",
    "articles:municipality",
    "articles:author",
    "articles:vendor",
]


def _other_detail(request, slug):  # pragma: no cover - only reversed, never called
    raise AssertionError


urlpatterns = [path("nachrichten/<slug:slug>/", _other_detail, name="other-detail")]


@pytest.mark.parametrize("viewname", SLUG_VIEWS)
def test_a_slug_url_is_the_url_reverse_gives(viewname):
    assert slug_url(viewname, "kreis-unna_2") == reverse(viewname, kwargs={"slug": "kreis-unna_2"})


@pytest.mark.parametrize("slug", ["straße", "mit/schrägstrich", ""])
def test_a_slug_the_pattern_refuses_is_refused_as_by_reverse(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("articles:detail", slug)


def test_a_site_below_a_path_gets_its_prefix():
    set_script_prefix("/portal/")
    try:
        assert slug_url("articles:detail", "ozg") == "/portal/artikel/ozg/"
    finally:
        clear_script_prefix()
    assert slug_url("articles:detail", "ozg") == "/artikel/ozg/"


def test_another_urlconf_gets_its_own_urls():
    with override_settings(ROOT_URLCONF=__name__):
        assert slug_url("other-detail", "ozg") == "/nachrichten/ozg/"
    with pytest.raises(NoReverseMatch):
        slug_url("other-detail", "ozg")


def test_models_link_through_it(db):
    from tests.factories import make_article

    article = make_article(title="Kreis Unna startet Portal")
    assert article.get_absolute_url() == reverse("articles:detail", kwargs={"slug": article.slug})
