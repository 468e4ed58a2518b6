"""Atom as RFC 4287 wants it: authors, IRI ids, `updated` from editorial changes; the
RSS feed shares the ids. Validation: tests/atom_check.py (RELAX NG of RFC 4287 plus the
rules the schema cannot express)."""

from datetime import datetime
from html import escape

import feedparser
import pytest
from django.core.exceptions import ImproperlyConfigured
from lxml import etree

from articles.identity.models import SiteIdentity
from articles.models import Article, Author, Tag
from articles.public.feed_ids import check_authority
from tests.atom_check import atom_problems
from tests.factories import berlin, make_article, make_municipality, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
ID_PREFIX = "tag:testserver,2026:"  # SITE_URL of the tests and the site's start year


def make_identity(**fields) -> SiteIdentity:
    fields.setdefault("name", "Kommunal Digital")
    fields.setdefault("publisher", "Beispiel Medien GmbH")
    fields.setdefault("email", "redaktion@example.org")
    identity = SiteIdentity(**fields)
    identity.save()
    return identity


def atom(client, url="/feeds/atom/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def entries(xml: bytes) -> list[etree._Element]:
    return etree.fromstring(xml).findall(f"{ATOM}entry")


def date(element, name) -> datetime:
    return datetime.fromisoformat(element.findtext(f"{ATOM}{name}"))


def a_bit_of_everything():
    """Articles with every kind of author, a correction, a teaser and hostile text."""
    politik = make_section("Politik")
    unna = make_municipality("Unna", kind="stadt", slug="unna")
    Author.objects.create(initials="VE", name="Verena Eckert")
    known = make_article(title="Bekannt", author_initials="ve", section=politik)
    known.tags.add("OZG")
    known.municipalities.add(unna)
    make_article(title="Nur Kürzel", author_initials="xy")
    make_article(title="Ohne Kürzel", lead="Vorspann <script>alert(1)</script> & mehr")
    corrected = make_article(title="Korrigiert", published_at=berlin(2019, 7, 1))
    corrected.corrected_at = berlin(2024, 5, 14)
    corrected.save()
    make_article(title="Anriss", teaser_only=True)


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/atom/",
        "/feeds/bereiche/politik/atom/",
        "/feeds/themen/ozg/atom/",
        "/feeds/kommunen/unna/atom/",
    ],
)
def test_atom_feeds_are_valid_per_rfc_4287(client, url):
    make_identity()
    a_bit_of_everything()
    assert atom_problems(atom(client, url)) == []


def test_atom_feed_is_valid_without_any_identity_saved(client):
    a_bit_of_everything()
    assert atom_problems(atom(client)) == []


def test_an_empty_feed_is_valid(client):
    assert atom_problems(atom(client)) == []


def test_the_check_finds_what_the_old_feed_got_wrong():
    """No author anywhere and ids that are not IRIs: the check must say so."""
    old = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>Newsroom</title>
<link href="http://testserver/" rel="alternate"/><link href="/feeds/atom/" rel="self"/>
<id>http://testserver/</id><updated>2024-05-14T12:00:00+02:00</updated>
<entry><title>A</title><link href="http://testserver/artikel/a/" rel="alternate"/>
<updated>2024-05-14T12:00:00+02:00</updated><id>newsroom-article-2721</id></entry>
<entry><title>B</title><link href="http://testserver/artikel/b/" rel="alternate"/>
<updated>2024-05-14T12:00:00</updated><id>newsroom-article-2721</id></entry>
</feed>"""
    problems = atom_problems(old)
    assert "entry 1 has no atom:author and the feed has none" in problems
    assert "atom:id 'newsroom-article-2721' is not an IRI (RFC 3987)" in problems
    assert "atom:id 'newsroom-article-2721' is used more than once" in problems
    assert "atom:link href '/feeds/atom/' is not an absolute http(s) URL" in problems
    assert "atom:updated '2024-05-14T12:00:00' is not an RFC 3339 date-time" in problems


def test_the_check_applies_the_relax_ng_schema():
    problems = atom_problems(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><bogus/></feed>'
    )
    assert any(problem.startswith("RELAX NG") for problem in problems)


def test_the_feed_author_is_the_publisher(client):
    make_identity()
    feed = feedparser.parse(atom(client)).feed
    assert feed.author_detail.name == "Beispiel Medien GmbH"
    assert feed.author_detail.email == "redaktion@example.org"
    assert feed.author_detail.href == "http://testserver/"


def test_the_feed_author_is_the_site_name_while_no_publisher_is_entered(client):
    make_identity(publisher="", email="")
    feed = feedparser.parse(atom(client)).feed
    assert feed.author_detail.name == "Kommunal Digital"
    assert "email" not in feed.author_detail


def test_the_feed_is_titled_after_the_site(client):
    make_identity()
    make_section("Politik")
    assert feedparser.parse(atom(client)).feed.title == "Kommunal Digital: Aktuelle Meldungen"
    section = feedparser.parse(atom(client, "/feeds/bereiche/politik/atom/")).feed
    assert section.title == "Kommunal Digital: Politik"


def test_an_entry_names_the_author_behind_its_kuerzel_with_their_page(client):
    Author.objects.create(initials="VE", name="Verena Eckert")
    make_article(author_initials="ve")
    entry = feedparser.parse(atom(client)).entries[0]
    assert entry.author_detail.name == "Verena Eckert"
    assert entry.author_detail.href == "http://testserver/autoren/verena-eckert/"


def test_an_entry_names_the_kuerzel_nobody_is_known_under(client):
    make_article(author_initials="xy")
    entry = feedparser.parse(atom(client)).entries[0]
    assert entry.author_detail.name == "xy"
    assert "href" not in entry.author_detail


def test_an_entry_without_kuerzel_names_the_publisher(client):
    make_identity()
    make_article(author_initials="")
    entry = feedparser.parse(atom(client)).entries[0]
    assert entry.author_detail.name == "Beispiel Medien GmbH"


def test_rss_items_name_their_authors_too(client):
    Author.objects.create(initials="VE", name="Verena Eckert")
    make_article(author_initials="VE")
    assert feedparser.parse(client.get("/feeds/rss/").content).entries[0].author == (
        "Verena Eckert"
    )


def test_an_entry_id_is_a_tag_uri_that_survives_a_slug_change(client):
    article = make_article(title="Alter Titel")
    expected = f"{ID_PREFIX}artikel/{article.pk}"
    assert entries(atom(client))[0].findtext(f"{ATOM}id") == expected
    article.slug = "neuer-titel"
    article.save()
    assert entries(atom(client))[0].findtext(f"{ATOM}id") == expected


def test_the_rss_guid_is_the_same_tag_uri_and_no_permalink(client):
    article = make_article()
    item = etree.fromstring(client.get("/feeds/rss/").content).find("channel/item")
    guid = item.find("guid")
    assert guid.text == f"{ID_PREFIX}artikel/{article.pk}"
    assert guid.get("isPermaLink") == "false"


def test_feed_ids_are_tag_uris_of_the_feed_and_its_object(client):
    tag = Tag.objects.create(name="OZG")
    assert etree.fromstring(atom(client)).findtext(f"{ATOM}id") == f"{ID_PREFIX}feed"
    tag_feed = etree.fromstring(atom(client, "/feeds/themen/ozg/atom/"))
    assert tag_feed.findtext(f"{ATOM}id") == f"{ID_PREFIX}feed/thema/{tag.pk}"


def test_a_configured_authority_names_the_ids(client, settings):
    settings.FEED_ID_AUTHORITY = "news.example.org,2024-05"
    article = make_article()
    assert entries(atom(client))[0].findtext(f"{ATOM}id") == (
        f"tag:news.example.org,2024-05:artikel/{article.pk}"
    )


@pytest.mark.parametrize(
    "value", ["news.example.org", "news.example.org,24", "https://x.org,2024", "x.org,2024-13"]
)
def test_an_authority_not_as_rfc_4151_says_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="host,date"):
        check_authority(value)


def test_an_entry_is_updated_by_its_last_public_correction(client):
    article = make_article(published_at=berlin(2019, 7, 8))
    article.corrected_at = berlin(2024, 5, 14)
    article.save()
    entry = entries(atom(client))[0]
    assert date(entry, "updated") == berlin(2024, 5, 14)
    assert date(entry, "published") == berlin(2019, 7, 8)


def test_a_silent_edit_does_not_move_updated(client):
    article = make_article(published_at=berlin(2019, 7, 8))
    article.lead = "Still korrigiert."
    article.save()  # updated_at moves, corrected_at does not
    assert date(entries(atom(client))[0], "updated") == berlin(2019, 7, 8)


def test_the_feed_is_updated_when_its_newest_entry_was(client):
    make_article(published_at=berlin(2024, 3, 1))
    corrected = make_article(published_at=berlin(2019, 7, 8))
    corrected.corrected_at = berlin(2024, 5, 14)
    corrected.save()
    assert date(etree.fromstring(atom(client)), "updated") == berlin(2024, 5, 14)


def test_a_teaser_only_entry_has_its_lead_as_summary_and_no_content(client):
    make_article(teaser_only=True, lead="Nur der Anreißer.")
    entry = entries(atom(client))[0]
    assert entry.findtext(f"{ATOM}summary") == "Nur der Anreißer."
    assert entry.find(f"{ATOM}content") is None


@pytest.mark.parametrize(
    ("url", "path", "declared"),
    [
        ("/feeds/atom/", f"{ATOM}entry/{ATOM}summary", "html"),
        ("/feeds/rss/", "channel/item/description", None),  # RSS: description is HTML
    ],
)
def test_the_lead_is_text_where_a_feed_declares_html(client, url, path, declared):
    lead = 'Vorspann <script>alert(1)</script> <a href="javascript:x">&</a>'
    make_article(lead=lead)
    element = etree.fromstring(client.get(url).content).find(path)
    assert element.get("type") == declared
    # The element's HTML is the escaped lead: a reader that renders it shows the text.
    assert element.text == escape(lead)
    assert etree.fromstring(f"<p>{element.text}</p>").xpath("string()") == lead


def test_a_feed_costs_the_same_queries_however_many_authors_it_names(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    make_identity()
    Author.objects.create(initials="A0", name="Autorin 0")
    make_article(author_initials="A0")
    with django_assert_max_num_queries(100) as captured:
        client.get("/feeds/atom/")
    with_one = len(captured)
    for number in range(1, 16):
        Author.objects.create(initials=f"A{number}", name=f"Autorin {number}")
        make_article(author_initials=f"A{number}", published_at=berlin(2020, 1, number))
    with django_assert_max_num_queries(with_one):
        response = client.get("/feeds/atom/")
    assert len(feedparser.parse(response.content).entries) == 16


def test_a_draft_is_not_in_the_feed(client):
    make_article(title="Entwurf", status=Article.Status.DRAFT)
    assert entries(atom(client)) == []
