"""/api/v1/sections, tags, municipalities and vendors."""

import pytest

from articles.models import Article, Municipality, Tag, Vendor
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_sections_count_only_published_articles(api):
    politik = make_section("Politik")
    make_article(section=politik)
    make_article(section=politik, status=Article.Status.DRAFT)
    (section,) = api("sections").json()
    assert section["name"] == "Politik"
    assert section["article_count"] == 1
    assert section["articles"] == f"http://testserver/api/v1/articles?section={politik.slug}"


def test_unknown_section_is_not_found(api):
    response = api("sections/gibt-es-nicht")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_tags_are_paged_by_name_with_their_counts(api):
    make_article().tags.add("Zensus", "OZG")
    make_article().tags.add("OZG")
    page = api("tags?page_size=1").json()
    assert [tag["name"] for tag in page["results"]] == ["OZG"]
    assert page["results"][0]["article_count"] == 2
    assert page["next"]


def test_tag_detail_by_slug(api):
    make_article().tags.add("OZG")
    tag = api("tags/ozg").json()
    assert tag["name"] == "OZG"
    assert tag["url"] == "http://testserver/themen/ozg/"
    assert Tag.objects.count() == 1


def test_municipality_by_official_key_shows_its_parents_land_first(api, register):
    town = Municipality.objects.filter(parent__ags="05978").first()
    make_article().municipalities.add(town)
    place = api(f"municipalities/{town.ags}").json()
    assert [parent["ags"] for parent in place["parents"]] == ["05", "05978"]
    assert place["article_count"] == 1
    assert place["articles"].endswith(f"articles?municipality={town.ags}")


def test_municipality_by_slug_is_the_same_place(api, register):
    assert api("municipalities/kreis-unna").json() == api("municipalities/05978").json()


def test_organisation_has_no_key(api):
    Municipality.objects.create(name="krz", slug="krz", kind=Municipality.Kind.OTHER)
    assert api("municipalities/krz").json()["ags"] is None


def test_municipalities_filter_by_kind_and_land(api, register):
    kreise = api("municipalities?kind=kreis&land=05&page_size=100").json()["results"]
    assert {place["ags"] for place in kreise} == {"05978"}


def test_municipalities_with_articles_only(api, register):
    make_article().municipalities.add(Municipality.objects.get(ags="14626"))
    make_article(status=Article.Status.DRAFT).municipalities.add(
        Municipality.objects.get(ags="05978")
    )
    places = api("municipalities?with_articles=true").json()["results"]
    assert [place["ags"] for place in places] == ["14626"]


def test_vendors_filter_by_section(api):
    politik = make_section("Politik")
    Vendor.objects.create(name="JCC Software", postcode="48155", city="Münster", section=politik)
    Vendor.objects.create(name="Andere GmbH", postcode="10115", city="Berlin")
    vendors = api(f"vendors?section={politik.slug}").json()["results"]
    assert vendors == [
        {
            "name": "JCC Software",
            "postcode": "48155",
            "city": "Münster",
            "section": {
                "slug": politik.slug,
                "name": "Politik",
                "url": f"http://testserver/bereiche/{politik.slug}/",
            },
        }
    ]
