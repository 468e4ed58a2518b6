"""Site identity and the legal pages: Impressum, Datenschutz, Barrierefreiheit."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.checks import run_checks

from articles.identity.current import site_identity
from articles.identity.models import SiteIdentity

pytestmark = pytest.mark.django_db

COMPLETE = {
    "publisher": "Kommunal-Verlag GmbH",
    "street": "Hafenweg 3",
    "postcode": "48155",
    "city": "Münster",
    "email": "redaktion@example.org",
    "responsible_name": "Erika Mustermann",
    "responsible_address": "Hafenweg 3, 48155 Münster",
}


def save_identity(**fields) -> SiteIdentity:
    identity = SiteIdentity.load()
    for name, value in fields.items():
        setattr(identity, name, value)
    identity.save()
    return identity


def test_the_defaults_say_plainly_what_the_operator_must_fill_in(client):
    text = client.get("/impressum/").text
    assert "Der Betreiber dieser Website hat noch nicht alle Pflichtangaben eingetragen" in text
    assert "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV" in text
    assert "Verantwortliche Person noch nicht eingetragen" in text


def test_the_imprint_shows_provider_address_contact_and_responsible_person(client):
    save_identity(**COMPLETE, representative="Max Muster", register_entry="AG Münster, HRB 1")
    text = client.get("/impressum/").text
    for value in ["Kommunal-Verlag GmbH", "Hafenweg 3", "48155 Münster", "Erika Mustermann"]:
        assert value in text
    assert 'href="mailto:redaktion@example.org"' in text
    assert "Vertreten durch: Max Muster" in text
    assert "noch nicht alle Pflichtangaben" not in text


def test_imprint_text_from_the_admin_is_escaped(client):
    save_identity(imprint_notes="<script>alert(1)</script>\n\nZweiter Absatz")
    text = client.get("/impressum/").text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text
    assert "<p>Zweiter Absatz</p>" in text


def test_the_privacy_statement_says_readers_get_no_cookies_and_how_long_logs_stay(client):
    save_identity(log_retention_days=14)
    response = client.get("/datenschutz/")
    assert "Keine Cookies, kein Tracking" in response.text
    assert "nach 14 Tagen gelöscht" in response.text
    assert "Anmeldung der Redaktion" in response.text
    assert not response.cookies


def test_a_single_day_of_log_retention_reads_in_the_singular(client):
    save_identity(log_retention_days=1)
    assert "nach 1 Tag gelöscht" in client.get("/datenschutz/").text


def test_the_accessibility_statement_offers_a_way_to_report_barriers(client):
    save_identity(email="redaktion@example.org", accessibility_contact="barrieren@example.org")
    text = client.get("/barrierefreiheit/").text
    assert "Barriere melden" in text
    assert 'href="mailto:barrieren@example.org?subject=Barriere%20auf%20der%20Website"' in text


def test_the_accessibility_contact_falls_back_to_the_publishers_email(client):
    save_identity(email="redaktion@example.org")
    assert 'href="mailto:redaktion@example.org?subject=' in client.get("/barrierefreiheit/").text


@pytest.mark.parametrize("url", ["/", "/impressum/", "/datenschutz/", "/barrierefreiheit/"])
def test_every_page_links_the_legal_pages_in_its_footer(client, url):
    text = client.get(url).text
    footer = text[text.index('<footer class="site-footer">') :]
    for href in ['href="/impressum/"', 'href="/datenschutz/"', 'href="/barrierefreiheit/"']:
        assert href in footer


def test_the_site_name_comes_from_the_identity(client):
    save_identity(name="Kommunal Digital", tagline="Nachrichten für die Verwaltung")
    text = client.get("/").text
    assert "<title>Kommunal Digital</title>" in text
    assert "Nachrichten für die Verwaltung" in text


def test_pages_see_a_new_identity_once_the_content_version_moves(rf):
    request = rf.get("/")
    request.content_version = 1
    assert site_identity(request).name == "Newsroom"
    save_identity(name="Kommunal Digital")
    assert site_identity(request).name == "Newsroom"  # kept for version 1
    request.content_version = 2
    assert site_identity(request).name == "Kommunal Digital"


def test_the_system_check_warns_while_legal_details_are_missing():
    warnings = [m for m in run_checks(databases=["default"]) if m.id == "newsroom.W010"]
    assert len(warnings) == 1
    assert "Anbieter" in warnings[0].msg


def test_the_system_check_is_quiet_once_everything_is_filled_in():
    save_identity(**COMPLETE)
    assert not [m for m in run_checks(databases=["default"]) if m.id == "newsroom.W010"]


def test_a_postcode_must_have_five_digits():
    identity = SiteIdentity(**{**COMPLETE, "postcode": "4815"})
    with pytest.raises(Exception) as error:
        identity.full_clean()
    assert "fünfstellige Postleitzahl" in str(error.value)


def test_there_is_only_ever_one_identity_row():
    SiteIdentity(name="A").save()
    SiteIdentity(name="B").save()
    assert SiteIdentity.objects.count() == 1
    assert SiteIdentity.objects.get().name == "B"


def _user_in(group_name: str) -> User:
    user = User.objects.create_user(f"{group_name.lower()}-1", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_chefredaktion_edits_the_identity_in_the_admin(client):
    client.force_login(_user_in("Chefredaktion"))
    response = client.get("/admin/articles/siteidentity/", follow=True)
    assert response.status_code == 200
    assert "Für ein vollständiges Impressum fehlen noch" in response.text
    assert response.redirect_chain[-1][0] == "/admin/articles/siteidentity/1/change/"


def test_redaktion_cannot_change_the_identity(client):
    client.force_login(_user_in("Redaktion"))
    assert client.get("/admin/articles/siteidentity/1/change/").status_code == 403


def test_the_admin_is_headed_with_the_site_name(client):
    save_identity(name="Kommunal Digital")
    client.force_login(_user_in("Chefredaktion"))
    assert "Kommunal Digital – Redaktion" in client.get("/admin/").text
