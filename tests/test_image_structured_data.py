"""JSON-LD of an article: its images and the publisher with home page and logo."""

import pytest

from tests.factories import make_article
from tests.test_images import json_ld, media, page, set_identity, stored, upload, with_image

__all__ = ["media"]  # the MEDIA_ROOT fixture of test_images, used here too

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_json_ld_image_lists_the_card_and_the_largest_rendition(client):
    images = json_ld(page(client, with_image()))["image"]
    assert [(i["@type"], i["width"], i["height"]) for i in images] == [
        ("ImageObject", 1200, 630),
        ("ImageObject", 1472, 1104),
    ]
    for image in images:
        assert image["url"].startswith("http://testserver/media/renditions/")
        assert stored(image["url"]).size == (image["width"], image["height"])


def test_publisher_names_the_site_and_its_home_page(client):
    set_identity(name="Kommunal-Digital")
    publisher = json_ld(page(client, make_article()))["publisher"]
    assert publisher == {
        "@type": "Organization",
        "name": "Kommunal-Digital",
        "url": "http://testserver/",
    }


def test_publisher_logo_is_an_image_object_of_its_rendition(client):
    set_identity(logo=upload("logo.png", format="PNG", mode="RGBA", size=(1600, 400)))
    logo = json_ld(page(client, make_article()))["publisher"]["logo"]
    assert (logo["@type"], logo["width"], logo["height"]) == ("ImageObject", 600, 150)
    assert logo["url"].startswith("http://testserver/media/renditions/website/")
    logo_file = stored(logo["url"])
    assert (logo_file.format, logo_file.size) == ("PNG", (600, 150))


def test_a_small_logo_is_not_enlarged(client):
    set_identity(logo=upload("logo.png", format="PNG", size=(240, 60)))
    logo = json_ld(page(client, make_article()))["publisher"]["logo"]
    assert (logo["width"], logo["height"]) == (240, 60)


def test_missing_logo_file_leaves_the_publisher_without_logo(client, media):
    set_identity(logo=upload("logo.png", format="PNG", size=(240, 60)))
    for path in (media / "website").iterdir():
        path.unlink()
    publisher = json_ld(page(client, make_article()))["publisher"]
    assert "logo" not in publisher
