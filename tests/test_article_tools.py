"""The article tools: PDF, print view and "Link mailen" (issue #19, item 5)."""

import io
import logging
import socket
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from articles.models import Article, ArticleLink, Author, SlugRedirect
from articles.public import tools
from articles.public.tools import FetchRefused, LocalFilesFetcher, pdf_filename
from articles.templatetags.article_tools import mailto_href
from tests.factories import make_article, make_municipality, make_section

pytestmark = pytest.mark.django_db

SITE_ROOT = "http://testserver/"
BODY = [
    {"type": "paragraph", "text": "Der Kreis stellt seine Verwaltung auf digitale Akten um."},
    {"type": "intertitle", "text": "Zeitplan bis 2021"},
    {"type": "paragraph", "text": "Zuerst wechseln die Ämter für Bürgerservice."},
]


def pdf_url(article) -> str:
    return f"/artikel/{article.slug}/pdf/"


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("redakteurin", password="x", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise AssertionError(f"network connection attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.fixture
def fetched(monkeypatch):
    """The URLs the PDF renderer asked the fetcher for."""
    urls = []
    original = LocalFilesFetcher.fetch

    def recording(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(LocalFilesFetcher, "fetch", recording)
    return urls


# --- The PDF ---------------------------------------------------------------------------


def test_pdf_is_served_as_application_pdf(client):
    response = client.get(pdf_url(make_article(body=BODY)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_pdf_is_shown_inline_with_a_file_name_from_the_slug(client):
    article = make_article(title="Grüße aus Köln")
    response = client.get(pdf_url(article))
    assert article.slug == "gruesse-aus-koeln"
    assert response["Content-Disposition"] == 'inline; filename="gruesse-aus-koeln.pdf"'


def test_pdf_file_name_keeps_only_ascii_letters_digits_and_dashes():
    assert pdf_filename('a"b;c\r\nd/../é') == "a-b-c-d.pdf"
    assert pdf_filename("---") == "artikel.pdf"
    assert pdf_filename("x" * 300) == "x" * tools.FILENAME_MAX_LENGTH + ".pdf"


def test_pdf_text_has_kicker_title_date_and_lead(client):
    article = make_article(
        kicker="Kreis Unna",
        title="Digitaler Masterplan für die Verwaltung",
        lead="Anhand eines Masterplans soll die Verwaltung umgebaut werden.",
        body=BODY,
    )
    text = pdf_text(client.get(pdf_url(article)))
    assert "Kreis Unna" in text
    assert "Digitaler Masterplan für die Verwaltung" in text
    assert "8. Juli 2019" in text
    assert "Anhand eines Masterplans soll die Verwaltung umgebaut werden." in text


def test_pdf_text_has_the_body_with_its_intertitles(client):
    text = pdf_text(client.get(pdf_url(make_article(body=BODY))))
    assert "Zeitplan bis 2021" in text
    assert "Zuerst wechseln die Ämter für Bürgerservice." in text


def test_pdf_of_a_kurzmeldung_says_the_full_report_is_not_out_yet(client):
    article = make_article(teaser_only=True)
    text = " ".join(pdf_text(client.get(pdf_url(article))).split())
    assert "der ausführliche Bericht ist hier noch nicht erschienen" in text


def test_pdf_text_has_the_canonical_url_and_the_site_name(client):
    article = make_article(body=BODY)
    text = pdf_text(client.get(pdf_url(article)))
    assert f"http://testserver/artikel/{article.slug}/" in text
    assert "Newsroom" in text


def test_pdf_names_the_author_whose_kuerzel_is_known(client):
    Author.objects.create(initials="VE", name="Verena Eckert")
    text = pdf_text(client.get(pdf_url(make_article(author_initials="ve"))))
    assert "Verena Eckert (VE)" in text


def test_pdf_names_an_unknown_kuerzel_as_it_is(client):
    text = pdf_text(client.get(pdf_url(make_article(author_initials="sib"))))
    assert "8. Juli 2019 · (sib)" in text


def test_pdf_lists_weblinks_with_label_and_url(client):
    article = make_article()
    ArticleLink.objects.create(
        article=article, label="Kreis Unna", url="https://www.kreis-unna.de/"
    )
    text = pdf_text(client.get(pdf_url(article)))
    assert "Kreis Unna: https://www.kreis-unna.de/" in text


def test_pdf_sets_the_shipped_font(client):
    reader = PdfReader(io.BytesIO(client.get(pdf_url(make_article(body=BODY))).content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert all("+Source-Serif-4" in name for name in names), names  # no system font
    assert any(name.endswith("+Source-Serif-4-Bold") for name in names), names


def test_pdf_hyphenates_german_text_without_missing_glyphs(client, caplog):
    long_words = "Digitalisierungsstrategie Verwaltungsmodernisierung Bürgerservicebüros " * 30
    article = make_article(body=[{"type": "paragraph", "text": long_words}])
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        text = pdf_text(client.get(pdf_url(article)))
    assert "-\n" in text  # hyphenated at line ends
    assert not [r for r in caplog.records if "unsupported by fonts" in r.getMessage()]


def test_pdf_embeds_the_local_article_image(client, settings, tmp_path, fetched):
    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (300, 150), (11, 79, 138)).save(png, "PNG")
    article = make_article(image_alt="Das Kreishaus", image_caption="Das Kreishaus in Unna.")
    article.image.save("kreishaus.png", SimpleUploadedFile("kreishaus.png", png.getvalue()))
    response = client.get(pdf_url(article))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages[0].images) == 1
    assert f"http://testserver/media/{article.image.name}" in fetched
    assert "Das Kreishaus in Unna." in pdf_text(response)


def test_markup_in_imported_text_is_printed_as_text_and_fetches_nothing(
    client, fetched, no_network
):
    article = make_article(
        title='Titel <img src="http://example.com/t.png">',
        body=[{"type": "paragraph", "text": '<img src="http://example.com/x.png"> Ende.'}],
    )
    response = client.get(pdf_url(article))
    assert '<img src="http://example.com/x.png"> Ende.' in pdf_text(response)
    assert not [url for url in fetched if "example.com" in url]
    assert all(url.startswith("http://testserver/static/") for url in fetched), fetched
    assert no_network == []


def test_fetcher_refuses_an_external_url(no_network):
    with pytest.raises(FetchRefused, match="Nur eigene Dateien"):
        LocalFilesFetcher(SITE_ROOT).fetch("http://example.com/x.png")
    assert no_network == []


def test_fetcher_refuses_file_and_data_urls():
    fetcher = LocalFilesFetcher(SITE_ROOT)
    for url in ("file:///etc/passwd", "data:image/png;base64,AAAA", "ftp://testserver/x"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_fetcher_refuses_paths_that_leave_the_static_folder():
    fetcher = LocalFilesFetcher(SITE_ROOT)
    for url in (
        "http://testserver/static/../newsroom/settings.py",
        "http://testserver/static/css/%2e%2e/%2e%2e/manage.py",
        "http://testserver/media/../../etc/passwd",
    ):
        with pytest.raises(FetchRefused, match="Ungültiger Dateiname"):
            fetcher.fetch(url)


def test_fetcher_refuses_another_host_with_a_static_path():
    with pytest.raises(FetchRefused):
        LocalFilesFetcher(SITE_ROOT).fetch("http://testserver.example.com/static/css/site.css")


def test_fetcher_serves_the_shipped_font_from_disk():
    url = "http://testserver/static/fonts/source-serif-4/source-serif-4-latin-400-normal.woff2"
    response = LocalFilesFetcher(SITE_ROOT).fetch(url)
    assert response.read(4) == b"wOF2"
    assert response.content_type == "font/woff2"


def test_fetcher_serves_collected_files_under_their_hashed_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "article-pdf.0123abcd.css").write_text("h1 { color: #111; }")
    response = LocalFilesFetcher(SITE_ROOT).fetch(
        "http://testserver/static/css/article-pdf.0123abcd.css"
    )
    assert response.read() == b"h1 { color: #111; }"


def test_fetcher_names_a_missing_static_file():
    with pytest.raises(FetchRefused, match="Datei nicht gefunden"):
        LocalFilesFetcher(SITE_ROOT).fetch("http://testserver/static/css/gibt-es-nicht.css")


def test_pdf_of_a_draft_is_not_found_for_readers(client):
    article = make_article(status=Article.Status.DRAFT)
    assert client.get(pdf_url(article)).status_code == 404


def test_pdf_of_a_scheduled_article_is_not_found_for_readers(client):
    article = make_article(published_at=timezone.now() + timedelta(days=1))
    assert client.get(pdf_url(article)).status_code == 404


def test_staff_get_a_preview_pdf_of_a_draft_that_is_not_cached(staff_client):
    article = make_article(title="Noch nicht freigegeben", status=Article.Status.DRAFT)
    response = staff_client.get(pdf_url(article))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "Vorschau: nicht öffentlich" in pdf_text(response)


def test_old_slug_redirects_to_the_pdf_under_the_new_slug(client):
    article = make_article(title="Neuer Titel")
    SlugRedirect.objects.create(old_slug="alter-titel", article=article)
    response = client.get("/artikel/alter-titel/pdf/")
    assert response.status_code == 301
    assert response["Location"] == f"/artikel/{article.slug}/pdf/"


def test_pdf_queries_do_not_grow_with_links_tags_and_places(client, django_assert_max_num_queries):
    article = make_article(section=make_section("Politik"), author_initials="VE", body=BODY)
    for number in range(5):
        ArticleLink.objects.create(
            article=article, position=number, label=f"Link {number}", url=f"https://l{number}.de/"
        )
    article.tags.add("E-Akte", "Digitalisierung", "Verwaltung")
    article.municipalities.add(make_municipality("Unna"), make_municipality("Kamen"))
    # version, article, links, places, tags, corrections, author, site, next scheduled
    with django_assert_max_num_queries(9):
        assert client.get(pdf_url(article)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_pdf_is_cached_for_anonymous_readers(client, monkeypatch, django_assert_num_queries):
    renders = []
    original = tools.render_pdf
    monkeypatch.setattr(tools, "render_pdf", lambda *a: renders.append(1) or original(*a))
    article = make_article(body=BODY)
    first = client.get(pdf_url(article))
    with django_assert_num_queries(1):  # the content version
        second = client.get(pdf_url(article))
    assert len(renders) == 1
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]


# --- The article page's tools and "Link mailen" -----------------------------------------


def test_article_page_offers_print_view_pdf_and_mail_link(client):
    article = make_article()
    text = client.get(article.get_absolute_url()).text
    assert f'href="/artikel/{article.slug}/druck/">Druckversion</a>' in text
    assert f'href="/artikel/{article.slug}/pdf/" type="application/pdf">PDF</a>' in text
    assert 'href="mailto:?subject=' in text
    assert ">Link mailen</a>" in text


def test_mail_link_percent_encodes_umlauts_ampersand_and_spaces():
    href = mailto_href("Grüße & Ämter: 100 %", "http://testserver/artikel/x/")
    assert href == (
        "mailto:?subject=Gr%C3%BC%C3%9Fe%20%26%20%C3%84mter%3A%20100%20%25"
        "&body=http%3A%2F%2Ftestserver%2Fartikel%2Fx%2F"
    )


def test_mail_link_on_the_page_carries_title_and_canonical_url(client):
    article = make_article(title="Bürgerämter & Online-Dienste: „Wir sind so weit“")
    response = client.get(article.get_absolute_url())
    assert "mailto:?subject=B%C3%BCrger%C3%A4mter%20%26%20Online-Dienste" in response.text
    start = response.text.index('href="mailto:') + len('href="')
    href = response.text[start : response.text.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlsplit(href).query)
    assert query == {
        "subject": ["Bürgerämter & Online-Dienste: „Wir sind so weit“"],
        "body": [f"http://testserver/artikel/{article.slug}/"],
    }


def test_mail_link_has_no_third_party_and_no_recipient():
    href = mailto_href("Titel", "http://testserver/artikel/x/")
    assert href.startswith("mailto:?")


# --- The print view on screen -----------------------------------------------------------


def test_print_view_has_a_back_link_to_the_article(client):
    article = make_article()
    text = client.get(f"/artikel/{article.slug}/druck/").text
    assert f'<a class="print-back" href="/artikel/{article.slug}/">Zurück zum Artikel</a>' in text


def test_print_view_hides_its_toolbar_when_printed(client):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert ".print-toolbar { display: none; }" in print_rules


def test_print_button_is_hidden_until_our_script_file_shows_it(client):
    article = make_article()
    text = client.get(f"/artikel/{article.slug}/druck/").text
    assert '<button type="button" data-print-button hidden>Drucken</button>' in text
    assert '<script src="/static/js/print-button.js" defer></script>' in text
    assert "onclick" not in text
    assert "<script>" not in text  # nothing inline: the CSP allows our own files only


def test_the_pdf_renderer_leaves_pillow_strict_about_truncated_images():
    from PIL import ImageFile

    import articles.public.tools  # noqa: F401  (imports WeasyPrint)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
