"""The vendor admin: list, search, former names, and "Anbieter zusammenführen"
(Chefredaktion's, with a page to pick the vendor that stays)."""

import re

import pytest
from django.contrib.auth.models import Group

from articles import roles
from articles.models import Vendor, VendorAlias
from tests.admin.helpers import change_url, changelist_url, messages_of, run_action
from tests.factories import make_section
from tests.importer.seed_files import SEEDS, run_import

pytestmark = pytest.mark.django_db

TELECOMPUTER_PAGE = "003_0c7bb1666681cfe8.txt"  # names "Telecomputer GmbH", 10829 Berlin


def make_vendor(name, postcode="10829", city="Berlin", section=None) -> Vendor:
    return Vendor.objects.create(name=name, postcode=postcode, city=city, section=section)


def merge(client, vendors, keep=None):
    """Run the action; with `keep`, as the confirmation page posts it."""
    extra = {"target": keep.pk, "confirm": "1"} if keep else {}
    return run_action(client, "merge_vendors", vendors, model=Vendor, **extra)


@pytest.fixture
def twins():
    return make_vendor("Telecomputer GmbH"), make_vendor("TELECOMPUTER Informationstechnik")


def test_merge_first_asks_which_vendor_stays(chefredaktion, twins):
    response = merge(chefredaktion, twins)
    text = response.content.decode()
    assert "Welcher Eintrag bleibt?" in text
    assert "Telecomputer GmbH, 10829 Berlin" in text
    assert "TELECOMPUTER Informationstechnik, 10829 Berlin" in text
    assert Vendor.objects.count() == 2


def test_merge_keeps_the_chosen_vendor_only(chefredaktion, twins):
    long_name = twins[1]
    response = merge(chefredaktion, twins, keep=long_name)
    assert list(Vendor.objects.values_list("pk", flat=True)) == [long_name.pk]
    assert messages_of(response) == [
        "1 Anbieter in „TELECOMPUTER Informationstechnik“ zusammengeführt."
    ]


def test_merge_records_the_other_names_as_former_names(chefredaktion, twins):
    long_name = twins[1]
    merge(chefredaktion, twins, keep=long_name)
    assert list(VendorAlias.objects.values_list("vendor", "name")) == [
        (long_name.pk, "Telecomputer GmbH")
    ]


def test_merge_keeps_the_bereich_of_a_merged_vendor_when_the_kept_one_has_none(chefredaktion):
    panorama = make_section("Panorama")
    without, filed = make_vendor("Telecomputer Berlin"), make_vendor("Telecomputer GmbH")
    filed.section = panorama
    filed.save()
    merge(chefredaktion, [without, filed], keep=without)
    without.refresh_from_db()
    assert without.section == panorama


def test_merge_refuses_vendors_at_different_postcodes(chefredaktion):
    berlin, munster = make_vendor("JCC Software"), make_vendor("JCC Software AG", "48149")
    response = merge(chefredaktion, [berlin, munster], keep=berlin)
    assert messages_of(response) == [
        "Nur Anbieter mit derselben PLZ lassen sich zusammenführen; "
        "gewählt sind Anbieter mit den PLZ 10829, 48149."
    ]
    assert Vendor.objects.count() == 2


def test_merge_needs_at_least_two_vendors(chefredaktion, twins):
    response = merge(chefredaktion, twins[:1], keep=twins[0])
    assert messages_of(response) == ["Bitte mindestens zwei Anbieter wählen."]
    assert Vendor.objects.count() == 2


def test_merge_ignores_a_chosen_vendor_outside_the_selection(chefredaktion, twins):
    outsider = make_vendor("Dritte GmbH")
    response = merge(chefredaktion, twins, keep=outsider)
    assert "Welcher Eintrag bleibt?" in response.content.decode()  # asked again
    assert Vendor.objects.count() == 3


def test_merge_vendor_right_is_chefredaktions_only():
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert "merge_vendor" in codenames(roles.CHEFREDAKTION)
    assert "merge_vendor" not in codenames(roles.REDAKTION)


def test_chefredaktion_is_offered_the_merge(chefredaktion, twins):
    response = chefredaktion.get(changelist_url(Vendor))
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert choices["merge_vendors"] == "Anbieter zusammenführen"


def test_redaktion_is_not_offered_the_merge(redaktion, twins):
    response = redaktion.get(changelist_url(Vendor))
    assert response.status_code == 200
    form = response.context["action_form"]  # None where no action is offered at all
    actions = {name for name, _ in form.fields["action"].choices} if form else set()
    assert "merge_vendors" not in actions


def test_redaktion_posting_the_merge_anyway_changes_nothing(redaktion, twins):
    merge(redaktion, twins, keep=twins[0])
    assert Vendor.objects.count() == 2
    assert not VendorAlias.objects.exists()


def test_later_import_of_a_merged_name_does_not_recreate_it(chefredaktion, register):
    kept = make_vendor("TELECOMPUTER Informationstechnik")
    run_import(SEEDS / TELECOMPUTER_PAGE)
    imported = Vendor.objects.get(name="Telecomputer GmbH")
    merge(chefredaktion, [kept, imported], keep=kept)
    run_import(SEEDS / TELECOMPUTER_PAGE, force=True)
    assert list(Vendor.objects.filter(postcode="10829").values_list("name", flat=True)) == [
        "TELECOMPUTER Informationstechnik"
    ]


def test_later_import_of_the_merged_name_with_another_legal_form_does_not_recreate_it(
    chefredaktion, register, tmp_path
):
    kept = make_vendor("TELECOMPUTER Informationstechnik")
    run_import(SEEDS / TELECOMPUTER_PAGE)
    merge(chefredaktion, [kept, Vendor.objects.get(name="Telecomputer GmbH")], keep=kept)
    page = tmp_path / "telecomputer-ag.txt"
    text = (SEEDS / TELECOMPUTER_PAGE).read_text(encoding="utf-8")
    page.write_text(text.replace("Telecomputer GmbH", "Telecomputer AG"), encoding="utf-8")
    run_import(page)
    assert Vendor.objects.filter(postcode="10829").count() == 1


def test_change_page_lists_former_names_read_only(chefredaktion, twins):
    long_name = twins[1]
    merge(chefredaktion, twins, keep=long_name)
    response = chefredaktion.get(change_url(long_name))
    text = response.content.decode()
    assert "Frühere Namen" in text
    assert "Telecomputer GmbH" in text
    assert re.search(r'<td class="field-key">\s*<p>telecomputer</p>', text)  # the key
    aliases = next(i for i in response.context["inline_admin_formsets"])
    assert not aliases.has_add_permission
    assert not aliases.has_delete_permission


def test_search_finds_a_vendor_by_a_former_name(chefredaktion, twins):
    long_name = twins[1]
    make_vendor("Andere GmbH")
    merge(chefredaktion, twins, keep=long_name)
    response = chefredaktion.get(changelist_url(Vendor), {"q": "Telecomputer GmbH"})
    assert list(response.context["cl"].result_list) == [long_name]


def test_list_shows_name_postcode_city_and_bereich_and_filters_by_bereich(chefredaktion):
    panorama, praxis = make_section("Panorama"), make_section("Praxis")
    aida = make_vendor("AIDA ORGA GmbH", "75391", "Gechingen", section=panorama)
    make_vendor("Telecomputer GmbH", section=praxis)
    response = chefredaktion.get(changelist_url(Vendor), {"section__id__exact": panorama.pk})
    assert list(response.context["cl"].result_list) == [aida]
    text = response.content.decode()
    for cell in ["AIDA ORGA GmbH", "75391", "Gechingen", "Panorama"]:
        assert cell in text


def test_the_model_refuses_to_merge_vendors_at_different_postcodes():
    from django.core.exceptions import ValidationError

    from articles.models import Vendor

    kept = Vendor.objects.create(name="JCC Software", postcode="48149")
    other = Vendor.objects.create(name="JCC Software", postcode="10115")
    with pytest.raises(ValidationError, match="derselben PLZ"):
        kept.absorb([other])
    assert Vendor.objects.count() == 2
