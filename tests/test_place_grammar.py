"""German for the register's places: articles, prepositions and the readers' labels,
table-tested on the names the shipped register yields (articles/register/entries.py)."""

import gzip
from types import SimpleNamespace

import pytest
from django.conf import settings

from articles.register import entries, gv100
from articles.register.grammar import kind_label, news_from, place_phrase


@pytest.fixture(scope="module")
def register_places():
    """The register's entries by (kind, name): pure, no database."""
    found = {}
    for entry in entries.build_entries(gv100.read_register(settings.MUNICIPAL_REGISTER_FILE)):
        found.setdefault((entry.kind, entry.name), entry)
    return found


def as_place(entry):
    """A register entry as the grammar reads a Municipality (its key is the ags)."""
    return SimpleNamespace(
        kind=entry.kind, name=entry.name, official_name=entry.official_name, ags=entry.key
    )


def place(register_places, kind, name):
    return as_place(register_places[(kind, name)])


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("land", "Thüringen", "aus Thüringen"),
        ("land", "Nordrhein-Westfalen", "aus Nordrhein-Westfalen"),
        ("land", "Saarland", "aus dem Saarland"),
        ("land", "Hamburg", "aus Hamburg"),
        ("regierungsbezirk", "Regierungsbezirk Arnsberg", "aus dem Regierungsbezirk Arnsberg"),
        ("regierungsbezirk", "Oberpfalz", "aus der Oberpfalz"),
        ("regierungsbezirk", "Oberbayern", "aus Oberbayern"),
        ("kreis", "Kyffhäuserkreis", "aus dem Kyffhäuserkreis"),
        ("kreis", "Landkreis Harburg", "aus dem Landkreis Harburg"),
        ("kreis", "Kreis Unna", "aus dem Kreis Unna"),
        ("kreis", "Märkischer Kreis", "aus dem Märkischen Kreis"),
        ("kreis", "Rheinisch-Bergischer Kreis", "aus dem Rheinisch-Bergischen Kreis"),
        ("kreis", "Rhein-Kreis Neuss", "aus dem Rhein-Kreis Neuss"),
        ("kreis", "Region Hannover", "aus der Region Hannover"),
        ("kreis", "Städteregion Aachen", "aus der Städteregion Aachen"),
        ("kreis", "Regionalverband Saarbrücken", "aus dem Regionalverband Saarbrücken"),
        ("kreisfreie_stadt", "Ulm", "aus der Stadt Ulm"),
        ("kreisfreie_stadt", "Düsseldorf", "aus der Stadt Düsseldorf"),
        ("stadt", "Unna", "aus der Stadt Unna"),
        ("gemeinde", "Holzwickede", "aus der Gemeinde Holzwickede"),
        ("gemeinde", "Aerzen", "aus dem Flecken Aerzen"),
        ("gemeindeverband", "Altes Amt Lemförde", "aus dem Alten Amt Lemförde"),
        ("gemeindeverband", "GVV Althengstett", "aus dem GVV Althengstett"),
        (
            "gemeindeverband",
            "Verwaltungsgemeinschaft Bad Muskau",
            "aus der Verwaltungsgemeinschaft Bad Muskau",
        ),
    ],
)
def test_news_come_from_a_place_with_its_article(register_places, kind, name, expected):
    assert news_from(place(register_places, kind, name)) == expected


def test_a_bavarian_markt_is_der_markt(register_places):
    holzkirchen = next(
        entry
        for entry in register_places.values()
        if entry.name == "Holzkirchen" and entry.official_name == "Holzkirchen, M"
    )
    assert news_from(as_place(holzkirchen)) == "aus dem Markt Holzkirchen"
    assert kind_label(as_place(holzkirchen)) == "Markt"


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("kreis", "Kyffhäuserkreis", "im Kyffhäuserkreis"),
        ("kreis", "Märkischer Kreis", "im Märkischen Kreis"),
        ("kreisfreie_stadt", "Ulm", "in der Stadt Ulm"),
        ("land", "Saarland", "im Saarland"),
        ("land", "Thüringen", "in Thüringen"),
        ("regierungsbezirk", "Oberpfalz", "in der Oberpfalz"),
    ],
)
def test_in_contracts_with_the_dative_article(register_places, kind, name, expected):
    assert place_phrase("in", place(register_places, kind, name)) == expected


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        ("kreis", "Märkischer Kreis", "über den Märkischen Kreis"),
        ("gemeindeverband", "Altes Amt Lemförde", "über das Alte Amt Lemförde"),
        ("land", "Saarland", "über das Saarland"),
        ("kreisfreie_stadt", "Ulm", "über die Stadt Ulm"),
        ("land", "Bayern", "über Bayern"),
    ],
)
def test_ueber_takes_the_accusative(register_places, kind, name, expected):
    assert place_phrase("über", place(register_places, kind, name)) == expected


@pytest.mark.parametrize(
    ("kind", "name", "label"),
    [
        ("land", "Bayern", "Freistaat"),
        ("land", "Thüringen", "Freistaat"),
        ("land", "Hessen", "Land"),
        ("land", "Berlin", "Stadtstaat"),
        ("regierungsbezirk", "Oberpfalz", "Regierungsbezirk"),
        ("kreis", "Kyffhäuserkreis", "Landkreis"),
        ("kreis", "Hochsauerlandkreis", "Kreis"),
        ("kreis", "Kreis Unna", "Kreis"),
        ("kreis", "Landkreis Harburg", "Landkreis"),
        ("kreis", "Region Hannover", "Region"),
        ("kreisfreie_stadt", "Ulm", "Stadtkreis"),
        ("kreisfreie_stadt", "Düsseldorf", "Kreisfreie Stadt"),
        ("stadt", "Unna", "Stadt"),
        ("gemeinde", "Holzwickede", "Gemeinde"),
        ("gemeindeverband", "GVV Althengstett", "Gemeindeverwaltungsverband"),
        ("gemeindeverband", "Altes Amt Lemförde", "Amt"),
    ],
)
def test_readers_label_for_the_kind(register_places, kind, name, label):
    assert kind_label(place(register_places, kind, name)) == label


def test_every_kreis_label_agrees_with_the_registers_textkennzeichen(register_places):
    """43 Kreis, 44 Landkreis, 45 Regionalverband; Region and Städteregion by name."""
    by_key = {entry.key: entry for entry in register_places.values() if entry.kind == "kreis"}
    expected_labels = {"43": "Kreis", "44": "Landkreis", "45": "Regionalverband"}
    with gzip.open(settings.MUNICIPAL_REGISTER_FILE, "rt", encoding="utf-8") as register:
        records = [gv100.parse_record(line, n) for n, line in enumerate(register, 1)]
    checked = 0
    for record in records:
        if record.record_type != gv100.KREIS or record.key not in by_key:
            continue
        entry = by_key[record.key]
        expected = expected_labels[record.text_code]
        if entry.name.startswith(("Region ", "Städteregion ")):
            expected = entry.name.split(" ", 1)[0]
        assert (entry.name, kind_label(as_place(entry))) == (entry.name, expected)
        checked += 1
    assert checked == 294  # every Kreis of the register


def test_every_register_entry_has_a_phrase_that_names_it(register_places):
    for entry in register_places.values():
        phrase = news_from(as_place(entry))
        assert phrase.startswith("aus ")
        # The name itself, or with its leading adjective declined ("Märkischen Kreis").
        last_word = entry.name.split(" ")[-1]
        assert phrase.endswith(last_word), (entry.name, phrase)
        assert kind_label(as_place(entry)) != "Organisation"


def test_an_organisation_is_no_place_news_come_from():
    dataport = SimpleNamespace(kind="other", name="Dataport", official_name="", ags="")
    assert news_from(dataport) == "zu Dataport"
    assert kind_label(dataport) == "Organisation"
