"""The vendor directory (/anbieter/), its Bereich and vendor pages, and the box on
section pages: "Ausgewählte Anbieter aus dem Bereich …"."""

import re

import pytest

from articles.models import Vendor
from articles.public.vendors import SECTION_BOX_SIZE
from tests.factories import make_article, make_section
from tests.importer.seed_files import SEEDS, THUERINGEN, run_import
from tests.queries import queries_from_cold

pytestmark = pytest.mark.django_db

JCC_GMBH_PAGE = "003_0c7bb1666681cfe8.txt"  # names "JCC Software GmbH", 48149 Münster


@pytest.fixture
def uncached(settings):
    """Query counts of the page itself, not of a page-cache hit."""
    settings.PAGE_CACHE_SECONDS = 0


def make_vendor(name, section, postcode="10829", city="Berlin") -> Vendor:
    return Vendor.objects.create(name=name, postcode=postcode, city=city, section=section)


def listed_names(html: str, css_class: str = "vendor-list") -> list[str]:
    """Vendor names in the order a list of `css_class` shows them."""
    lists = re.findall(rf'<ul class="{css_class}">(.*?)</ul>', html, re.S)
    return [name for part in lists for name in re.findall(r'<a href="[^"]+">([^<]+)</a>', part)]


def box(html: str) -> str:
    found = re.search(r'<aside class="related vendor-box".*?</aside>', html, re.S)
    return found.group(0) if found else ""


def box_names(aside: str) -> list[str]:
    """The vendors the box links to (not its link to the Bereich's directory)."""
    return re.findall(r'<a href="/anbieter/(?!bereich/)[^"]+/">([^<]+)</a>', aside)


def query_count(client, url) -> int:
    with queries_from_cold() as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# The directory of all Bereiche


def test_directory_lists_vendors_under_a_german_heading_per_bereich(client):
    panorama, praxis = make_section("Panorama"), make_section("Praxis")
    make_vendor("AIDA ORGA GmbH", panorama, "75391", "Gechingen")
    make_vendor("Telecomputer GmbH", praxis)
    html = client.get("/anbieter/").text
    assert "<h1>Anbieter</h1>" in html
    panorama_at = html.index("Anbieter aus dem Bereich Panorama")
    praxis_at = html.index("Anbieter aus dem Bereich Praxis")
    assert panorama_at < html.index("AIDA ORGA GmbH") < praxis_at
    assert praxis_at < html.index("Telecomputer GmbH")
    assert "75391 Gechingen" in html


def test_directory_heading_links_to_the_bereich_directory(client):
    make_vendor("AIDA ORGA GmbH", make_section("Panorama"))
    html = client.get("/anbieter/").text
    assert '<a href="/anbieter/bereich/panorama/">Anbieter aus dem Bereich Panorama</a>' in html


def test_directory_orders_names_as_german_readers_look_them_up(client):
    section = make_section("Panorama")
    for name in ["Zeta Systeme", "Ämter-IT", "abc digital", "Beta", "Öffentliche IT", "Ost"]:
        make_vendor(name, section)
    html = client.get("/anbieter/").text
    assert listed_names(html) == [
        "abc digital",
        "Ämter-IT",
        "Beta",
        "Öffentliche IT",
        "Ost",
        "Zeta Systeme",
    ]


def test_directory_orders_bereiche_by_name(client):
    make_vendor("Eins", make_section("Zukunft"))
    make_vendor("Zwei", make_section("Ämter"))
    make_vendor("Drei", make_section("Bildung"))
    headings = re.findall(r"Anbieter aus dem Bereich (\w+)</a>", client.get("/anbieter/").text)
    assert headings == ["Ämter", "Bildung", "Zukunft"]


def test_directory_leaves_out_vendors_without_a_bereich(client):
    make_vendor("AIDA ORGA GmbH", make_section("Panorama"))
    make_vendor("Verwaist AG", None)
    html = client.get("/anbieter/").text
    assert "AIDA ORGA GmbH" in html
    assert "Verwaist" not in html


def test_directory_keeps_vendors_out_once_their_bereich_is_deleted(client):
    section = make_section("Panorama")
    make_vendor("AIDA ORGA GmbH", section)
    section.delete()
    html = client.get("/anbieter/").text
    assert "AIDA ORGA" not in html
    assert "Es sind noch keine Anbieter verzeichnet." in html


def test_empty_directory_says_so_in_german(client):
    response = client.get("/anbieter/")
    assert response.status_code == 200
    assert "Es sind noch keine Anbieter verzeichnet." in response.text


def test_directory_escapes_imported_names(client):
    make_vendor('<script>alert("x")</script> GmbH', make_section("Panorama"), city="<b>Ort</b>")
    html = client.get("/anbieter/").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; GmbH" in html
    assert "&lt;b&gt;Ort&lt;/b&gt;" in html


def test_directory_query_count_does_not_grow_with_vendors_or_bereiche(client, uncached):
    make_vendor("Erster Anbieter", make_section("Panorama"))
    few = query_count(client, "/anbieter/")
    for number in range(12):
        make_vendor(f"Anbieter {number}", make_section(f"Bereich {number}"))
    assert query_count(client, "/anbieter/") == few


# One Bereich


def test_bereich_directory_lists_only_its_own_vendors(client):
    panorama, praxis = make_section("Panorama"), make_section("Praxis")
    make_vendor("AIDA ORGA GmbH", panorama)
    make_vendor("Telecomputer GmbH", praxis)
    html = client.get("/anbieter/bereich/panorama/").text
    assert "<h1>Anbieter aus dem Bereich Panorama</h1>" in html
    assert listed_names(html) == ["AIDA ORGA GmbH"]


def test_bereich_directory_links_to_the_bereichs_news(client):
    make_vendor("AIDA ORGA GmbH", make_section("Panorama"))
    html = client.get("/anbieter/bereich/panorama/").text
    assert '<a href="/bereiche/panorama/">Nachrichten aus dem Bereich Panorama</a>' in html


def test_bereich_directory_without_vendors_says_so(client):
    make_section("Panorama")
    html = client.get("/anbieter/bereich/panorama/").text
    assert "Im Bereich Panorama sind noch keine Anbieter verzeichnet." in html


def test_bereich_directory_of_an_unknown_bereich_is_404(client):
    assert client.get("/anbieter/bereich/gibt-es-nicht/").status_code == 404


def test_bereich_directory_query_count_does_not_grow_with_vendors(client, uncached):
    section = make_section("Panorama")
    make_vendor("Erster Anbieter", section)
    few = query_count(client, "/anbieter/bereich/panorama/")
    for number in range(30):
        make_vendor(f"Anbieter {number}", section)
    assert query_count(client, "/anbieter/bereich/panorama/") == few


# One vendor


def test_vendor_page_shows_name_place_bereich_and_a_link_to_its_news(client):
    vendor = make_vendor("JCC Software GmbH", make_section("Panorama"), "48149", "Münster")
    response = client.get(vendor.get_absolute_url())
    assert vendor.get_absolute_url() == "/anbieter/jcc-software-gmbh-muenster/"
    assert "<h1>JCC Software GmbH</h1>" in response.text
    assert "<dd>48149 Münster</dd>" in response.text
    assert '<dd><a href="/anbieter/bereich/panorama/">Panorama</a></dd>' in response.text
    assert '<a href="/bereiche/panorama/">Nachrichten aus dem Bereich Panorama</a>' in (
        response.text
    )


def test_vendor_page_of_an_unknown_slug_is_404(client):
    assert client.get("/anbieter/gibt-es-nicht/").status_code == 404


def test_vendor_page_of_a_vendor_without_a_bereich_is_404(client):
    vendor = make_vendor("Verwaist AG", None)
    assert client.get(vendor.get_absolute_url()).status_code == 404


def test_vendor_page_escapes_imported_names(client):
    vendor = make_vendor("<img src=x onerror=alert(1)>", make_section("Panorama"))
    html = client.get(vendor.get_absolute_url()).text
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# The import: one vendor per normalised name and postcode


def test_import_of_a_page_naming_the_gmbh_finds_the_vendor_without_it(register):
    run_import(SEEDS / THUERINGEN)  # "JCC Software", 48149 Münster
    jcc = Vendor.objects.get(key="jcc software")
    run_import(SEEDS / JCC_GMBH_PAGE)  # "JCC Software GmbH", 48149 Münster
    assert list(Vendor.objects.filter(postcode="48149").values_list("pk", "name")) == [
        (jcc.pk, "JCC Software")
    ]
    assert sorted(Vendor.objects.values_list("name", flat=True)) == [
        "AIDA ORGA GmbH",
        "JCC Software",
        "Telecomputer GmbH",
    ]


def test_imported_vendors_appear_in_the_directory_of_their_bereich(client, register):
    run_import(SEEDS / THUERINGEN, SEEDS / JCC_GMBH_PAGE)
    html = client.get("/anbieter/").text
    assert "Anbieter aus dem Bereich Panorama" in html
    assert listed_names(html) == ["AIDA ORGA GmbH", "JCC Software", "Telecomputer GmbH"]


# The box on section pages


def test_section_page_shows_its_vendors_in_an_aside(client):
    section = make_section("Panorama")
    make_article(section=section)
    make_vendor("AIDA ORGA GmbH", section, "75391", "Gechingen")
    make_vendor("Telecomputer GmbH", make_section("Praxis"))
    aside = box(client.get(section.get_absolute_url()).text)
    assert "Ausgewählte Anbieter aus dem Bereich Panorama" in aside
    assert box_names(aside) == ["AIDA ORGA GmbH"]
    assert "75391 Gechingen" in aside


def test_section_page_without_vendors_has_no_vendor_box(client):
    section = make_section("Panorama")
    make_article(section=section)
    html = client.get(section.get_absolute_url()).text
    assert "Ausgewählte Anbieter" not in html


def test_section_box_is_bounded_and_links_to_all_vendors_of_the_bereich(client):
    section = make_section("Panorama")
    for number in range(SECTION_BOX_SIZE + 3):
        make_vendor(f"Anbieter {number:02}", section)
    aside = box(client.get(section.get_absolute_url()).text)
    assert box_names(aside) == [f"Anbieter {number:02}" for number in range(SECTION_BOX_SIZE)]
    assert '<a href="/anbieter/bereich/panorama/">Alle Anbieter aus dem Bereich Panorama</a>' in (
        aside
    )


def test_section_box_takes_the_first_vendors_in_german_order(client):
    section = make_section("Panorama")
    for number in range(SECTION_BOX_SIZE):
        make_vendor(f"Zentrale {number}", section)
    make_vendor("Ämter-IT", section)  # binary order would put it after every "Z…"
    aside = box(client.get(section.get_absolute_url()).text)
    assert "Ämter-IT" in aside
    assert f"Zentrale {SECTION_BOX_SIZE - 1}" not in aside


def test_section_page_query_count_does_not_grow_with_vendors(client, uncached):
    section = make_section("Panorama")
    make_article(section=section)
    make_vendor("Erster Anbieter", section)
    few = query_count(client, section.get_absolute_url())
    for number in range(20):
        make_vendor(f"Anbieter {number}", section)
    assert query_count(client, section.get_absolute_url()) == few


def test_section_page_with_vendors_stays_within_its_query_budget(
    client, uncached, django_assert_max_num_queries
):
    section = make_section("Panorama")
    for _ in range(3):
        make_article(section=section)
    for number in range(20):
        make_vendor(f"Anbieter {number}", section)
    # Section, the box, the count and the page of articles, the identity, the navigation.
    with django_assert_max_num_queries(6):
        client.get(section.get_absolute_url())


def test_directory_stays_within_its_query_budget(client, uncached, django_assert_max_num_queries):
    for number in range(10):
        make_vendor(f"Anbieter {number}", make_section(f"Bereich {number}"))
    # The content version, the vendors with their Bereiche, the identity, the navigation.
    with django_assert_max_num_queries(4):
        client.get("/anbieter/")


# Committed writes, as in production: on PostgreSQL the version rises once per transaction.
@pytest.mark.django_db(transaction=True)
def test_vendor_edits_make_cached_section_pages_stale(client):
    section = make_section("Panorama")
    make_vendor("AIDA ORGA GmbH", section)
    assert "AIDA ORGA GmbH" in client.get(section.get_absolute_url()).text
    Vendor.objects.filter(name="AIDA ORGA GmbH").update(name="AIDA ORGA Software GmbH")
    assert "AIDA ORGA Software GmbH" in client.get(section.get_absolute_url()).text
