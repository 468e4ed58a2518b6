"""A tag's alternative names: the import files pages under the tag they name."""

import pytest

from articles.models import Tag, TagAlias
from tests.admin.helpers import change_form_data, change_url

pytestmark = pytest.mark.django_db


def add_alias(client, tag, name):
    data = change_form_data(client, tag)
    number = int(data["aliases-TOTAL_FORMS"])
    data.update(
        {
            "aliases-TOTAL_FORMS": str(number + 1),
            f"aliases-{number}-name": name,
            f"aliases-{number}-tag": str(tag.pk),
        }
    )
    return client.post(change_url(tag), data)


def test_redaktion_adds_an_alternative_name_to_a_tag(redaktion):
    tag = Tag.objects.create(name="E-Akte")
    response = add_alias(redaktion, tag, "Elektronische Akte")
    assert response.status_code == 302
    assert TagAlias.objects.get(name="Elektronische Akte").tag == tag


def test_a_name_that_is_already_another_tags_alias_is_refused(redaktion):
    TagAlias.objects.create(tag=Tag.objects.create(name="OZG"), name="Onlinezugangsgesetz")
    tag = Tag.objects.create(name="OZG 2.0")
    response = add_alias(redaktion, tag, "onlinezugangsgesetz")
    assert response.status_code == 200
    assert "ist schon ein alternativer Name von „OZG“" in response.content.decode()
    assert not tag.aliases.exists()


def test_a_name_of_another_tag_is_refused_with_a_hint_to_merge(redaktion):
    Tag.objects.create(name="Cloud")
    tag = Tag.objects.create(name="Cloud Computing")
    response = add_alias(redaktion, tag, "cloud")
    assert "bitte die beiden Stichwörter zusammenführen" in response.content.decode()
    assert not tag.aliases.exists()


def test_the_tags_own_name_is_not_an_alias(redaktion):
    tag = Tag.objects.create(name="Cloud")
    response = add_alias(redaktion, tag, "CLOUD")
    assert "ist der Name des Stichworts selbst" in response.content.decode()
    assert not tag.aliases.exists()
