from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from articles.models import Municipality
from articles.register.entries import build_entries, short_forms, split_official_name
from articles.register.gv100 import RegisterFormatError, parse_record, read_register
from articles.register.resolve import Candidate, MunicipalityResolver, choose

UNNA_KREIS = (
    "402025113005978       Unna                                              Unna"
    "                                              43"
).ljust(220)


def test_record_fields_are_read_by_position():
    record = parse_record(UNNA_KREIS, line=1)
    assert (record.record_type, record.key, record.name, record.text_code) == (
        "40",
        "05978",
        "Unna",
        "43",
    )


def test_record_of_wrong_length_is_rejected_with_its_line():
    with pytest.raises(RegisterFormatError, match="line 7: expected 220 characters"):
        parse_record(UNNA_KREIS.rstrip(), line=7)


def test_official_designations_are_split_off():
    assert split_official_name("Görlitz, Stadt, Hochschulstadt") == (
        "Görlitz",
        ["Stadt", "Hochschulstadt"],
    )
    assert split_official_name("Sonthofen, St") == ("Sonthofen", ["Stadt"])


def test_short_forms_drop_the_qualifier():
    assert short_forms("Frankfurt am Main") == ["Frankfurt"]
    assert short_forms("Halle (Saale)") == ["Halle"]
    assert short_forms("Neufahrn b.Freising") == ["Neufahrn"]
    assert short_forms("Unna") == []


@pytest.fixture
def entries(register_excerpt):
    return {entry.key: entry for entry in build_entries(read_register(register_excerpt))}


def test_kreis_is_named_and_aliased_as_texts_name_it(entries):
    kreis = entries["05978"]
    assert kreis.name == "Kreis Unna"
    assert kreis.kind == "kreis"
    assert {"Kreis Unna", "Landkreis Unna", "Unna"} <= set(kreis.aliases)


def test_landkreis_gets_landkreis_prefix(entries):
    assert entries["14626"].name == "Landkreis Görlitz"


def test_gemeinde_parent_is_its_kreis_and_kreis_parent_its_land(entries):
    assert entries["05978036"].parent_key == "05978"
    assert entries["05978"].parent_key == "05"


def test_kreisfreie_stadt_is_one_entry_with_the_population_of_its_gemeinde(entries):
    duesseldorf = entries["05111"]
    assert (duesseldorf.name, duesseldorf.kind) == ("Düsseldorf", "kreisfreie_stadt")
    assert duesseldorf.population > 600_000
    assert "05111000" not in entries


def test_city_state_is_kept_once_as_land_under_both_names(entries):
    assert "11000" not in entries
    assert "Stadt Berlin" in entries["11"].aliases


def test_kreis_population_is_the_sum_of_its_gemeinden(entries):
    gemeinden = [
        e for e in entries.values() if e.parent_key == "05978" and e.kind != "gemeindeverband"
    ]
    assert entries["05978"].population == sum(e.population for e in gemeinden)


def test_choose_prefers_the_more_general_kind_of_place():
    town = Candidate(1, Municipality.Kind.STADT, 55_000)
    landkreis = Candidate(2, Municipality.Kind.KREIS, 250_000)
    assert choose([landkreis, town]) == 1


def test_choose_refuses_to_guess_between_similar_places():
    assert choose([Candidate(1, "gemeinde", 5_000), Candidate(2, "gemeinde", 4_000)]) is None


def test_choose_takes_a_clearly_larger_place():
    assert choose([Candidate(1, "kreisfreie_stadt", 57_000), Candidate(2, "stadt", 770_000)]) == 2


@pytest.mark.django_db
class TestLoadedRegister:
    @pytest.fixture(autouse=True)
    def _load(self, register_excerpt):
        call_command("load_municipalities", register_excerpt, stdout=StringIO())
        self.resolver = MunicipalityResolver.from_database()

    def test_kreis_unna_has_its_ags_and_land(self):
        kreis = Municipality.objects.get(name="Kreis Unna")
        assert kreis.ags == "05978"
        assert kreis.parent.name == kreis.land.name == "Nordrhein-Westfalen"

    def test_gemeinde_knows_its_land_directly(self):
        assert Municipality.objects.get(ags="05978036").land.ags == "05"

    def test_goerlitz_is_the_landkreis_when_the_text_says_landkreis(self):
        assert self.resolver.resolve("Landkreis Görlitz").ags == "14626"

    def test_goerlitz_alone_is_the_town(self):
        assert self.resolver.resolve("Görlitz").ags == "14626110"

    def test_land_is_found_under_its_official_style(self):
        assert self.resolver.resolve("Freistaat Bayern").name == "Bayern"

    def test_town_is_found_with_stadt_prefix_and_any_case(self):
        assert self.resolver.resolve("stadt  UNNA").ags == "05978036"

    def test_bare_name_prefers_city_over_regierungsbezirk(self):
        assert self.resolver.resolve("Düsseldorf").kind == Municipality.Kind.KREISFREIE_STADT

    def test_unknown_name_resolves_to_nothing(self):
        assert self.resolver.resolve("Kommunales Rechenzentrum") is None

    def test_alias_an_editor_adds_is_used(self):
        Municipality.objects.get(ags="05978").aliases.create(name="Unna-Kreis")
        assert MunicipalityResolver.from_database().resolve("Unna-Kreis").ags == "05978"

    def test_loading_again_changes_nothing(self, register_excerpt):
        count = Municipality.objects.count()
        call_command("load_municipalities", register_excerpt, stdout=StringIO())
        assert Municipality.objects.count() == count

    def test_loading_again_keeps_editor_aliases_and_organisations(self, register_excerpt):
        Municipality.objects.get(ags="05978").aliases.create(name="Unna-Kreis")
        Municipality.objects.create(name="krz", slug="krz", kind=Municipality.Kind.OTHER)
        call_command("load_municipalities", register_excerpt, stdout=StringIO())
        assert Municipality.objects.filter(name="krz").exists()
        assert Municipality.objects.get(ags="05978").aliases.filter(name="Unna-Kreis").exists()

    def test_municipality_url_uses_its_slug(self):
        assert Municipality.objects.get(ags="05978").get_absolute_url() == "/kommunen/kreis-unna/"


@pytest.mark.django_db
def test_whole_shipped_register_loads_with_every_level():
    call_command("load_municipalities", stdout=StringIO())
    kinds = dict(Municipality.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds["land"] == 16
    assert kinds["kreis"] + kinds["kreisfreie_stadt"] == 400 - 2  # Berlin, Hamburg fold
    assert kinds["stadt"] + kinds["gemeinde"] > 10_000
    assert not Municipality.objects.filter(kind="gemeinde", parent=None).exists()


@pytest.mark.django_db
def test_broken_register_file_is_reported_with_its_line(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text(UNNA_KREIS + "\n" + "40 too short\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken.txt:2: expected 220 characters"):
        call_command("load_municipalities", broken, stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_loading_gives_the_planner_the_new_places_before_linking_them(register_excerpt):
    # As autovacuum leaves an emptied table: counted as empty, the cache-key triggers of
    # the parent links would be planned as nested loops over the whole register.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Municipality._meta.db_table}")
    call_command("load_municipalities", register_excerpt, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s", [Municipality._meta.db_table]
        )
        assert cursor.fetchone()[0] == Municipality.objects.count()
