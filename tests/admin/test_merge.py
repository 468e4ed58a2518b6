"""Merging tags and duplicate municipalities: the survivor takes everything, once."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from articles.models import (
    Article,
    Municipality,
    MunicipalityAlias,
    Tag,
    TagAlias,
    TaggedArticle,
)
from tests.admin.helpers import messages_of, run_action
from tests.factories import make_article, make_municipality

pytestmark = pytest.mark.django_db


def test_tag_merge_retags_every_article_without_duplicates():
    ozg, long_name, typo = (Tag.objects.create(name=n) for n in ("OZG", "Onlinezugang", "0ZG"))
    both, only_long, only_typo, two_others = (make_article() for _ in range(4))
    both.tags.add(ozg, long_name)
    only_long.tags.add(long_name)
    only_typo.tags.add(typo)
    two_others.tags.add(long_name, typo)
    moved = ozg.absorb([long_name, typo])
    assert moved == 3
    assert list(Tag.objects.values_list("name", flat=True)) == ["OZG"]
    for article in (both, only_long, only_typo, two_others):
        assert list(article.tags.names()) == ["OZG"]
    assert TaggedArticle.objects.count() == 4


def test_tag_merge_keeps_the_merged_names_and_their_aliases_as_aliases():
    ozg, long_name, typo = (Tag.objects.create(name=n) for n in ("OZG", "Onlinezugang", "0ZG"))
    TagAlias.objects.create(tag=long_name, name="Online-Zugang")
    TagAlias.objects.create(tag=typo, name="ozg")  # the survivor's own name: not an alias
    ozg.absorb([long_name, typo])
    assert sorted(ozg.aliases.values_list("name", flat=True)) == [
        "0ZG",
        "Online-Zugang",
        "Onlinezugang",
    ]


def test_tag_merge_action_asks_which_tag_survives(chefredaktion):
    tags = [Tag.objects.create(name="OZG"), Tag.objects.create(name="Onlinezugang")]
    response = run_action(chefredaktion, "merge_tags", tags, model=Tag)
    assert "Welcher Eintrag bleibt?" in response.content.decode()
    assert Tag.objects.count() == 2


def test_tag_merge_action_merges_into_the_chosen_tag(chefredaktion):
    ozg, other = Tag.objects.create(name="OZG"), Tag.objects.create(name="Onlinezugang")
    make_article().tags.add(other)
    response = run_action(
        chefredaktion, "merge_tags", [ozg, other], model=Tag, target=ozg.pk, confirm="1"
    )
    assert messages_of(response) == [
        "1 Stichwörter in „OZG“ zusammengeführt; 1 Artikel neu verschlagwortet."
    ]
    assert Article.objects.filter(tags=ozg).count() == 1


def test_tag_list_counts_articles(chefredaktion):
    tag = Tag.objects.create(name="OZG")
    make_article().tags.add(tag)
    response = chefredaktion.get("/admin/articles/tag/")
    assert response.context["cl"].result_list[0].article_total == 1


def test_municipality_merge_moves_articles_and_keeps_the_name_as_alias(register_excerpt):
    call_command("load_municipalities", str(register_excerpt), verbosity=0)
    unna = Municipality.objects.get(ags="05978")
    duplicate = make_municipality("Kreisverwaltung Unna")
    shared, only_duplicate = make_article(), make_article()
    shared.municipalities.add(unna, duplicate)
    only_duplicate.municipalities.add(duplicate)
    assert unna.absorb([duplicate]) == 1
    assert not Municipality.objects.filter(pk=duplicate.pk).exists()
    assert set(unna.articles.all()) == {shared, only_duplicate}
    assert MunicipalityAlias.objects.filter(municipality=unna, name="Kreisverwaltung Unna")


def test_municipality_merge_refuses_to_dissolve_a_register_entry(register_excerpt):
    call_command("load_municipalities", str(register_excerpt), verbosity=0)
    other = make_municipality("Kreis Unna (Dublette)")
    with pytest.raises(ValidationError):
        other.absorb([Municipality.objects.get(ags="05978")])


def test_municipality_list_shows_the_parent_chain(chefredaktion, register_excerpt):
    call_command("load_municipalities", str(register_excerpt), verbosity=0)
    response = chefredaktion.get("/admin/articles/municipality/", {"q": "05978004"})
    assert "Kreis Unna › Nordrhein-Westfalen" in response.content.decode()
