"""The public site in a real browser: Debian's Chromium driven by Playwright."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, Author, Municipality
from tests.conftest import BROWSER_TEST_MARKS

pytestmark = BROWSER_TEST_MARKS


@pytest.fixture
def imported_seeds(register):
    call_command("import_seeds", stdout=StringIO())
    unna = Municipality.objects.get(slug="kreis-unna")  # from the register excerpt
    Article.objects.get(title="Digitaler Masterplan").municipalities.add(unna)
    Author.objects.create(initials="ve", name="Verena Beispiel", slug="verena-beispiel")


def test_reader_opens_an_article_from_the_home_page(page, live_server, imported_seeds):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Neueste Meldungen").is_visible()
    page.get_by_role("link", name="Digital mit Strategie").first.click()
    page.wait_for_url("**/artikel/digital-mit-strategie/")
    assert page.locator("h1").inner_text() == "Digital mit Strategie"
    assert page.locator(".kicker").first.inner_text() == "Märkischer Kreis"
    assert "22. Februar 2024" in page.locator(".meta").inner_text()
    assert page.locator(".body h2").inner_text() == "IT-Sicherheit verstärkt"
    assert settings.MUNICIPAL_REGISTER_CREDIT in page.locator("footer.site-footer").inner_text()


def test_reader_follows_a_section_link(page, live_server, imported_seeds):
    page.goto(live_server.url + "/artikel/kreise-buendeln-kraefte/")
    page.get_by_role("link", name="Panorama").first.click()
    page.wait_for_url("**/bereiche/panorama/")
    assert page.locator("h1").inner_text() == "Bereich Panorama"
    assert page.get_by_role("link", name="Kreise bündeln Kräfte").is_visible()


def test_page_loads_no_resource_from_another_host(page, live_server, imported_seeds):
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(live_server.url + "/artikel/digital-mit-strategie/")
    assert hosts == {live_server.url.split("/")[2]}


def test_reader_filters_the_archive_by_section(page, live_server, imported_seeds):
    page.goto(live_server.url + "/archiv/")
    page.locator(".filter-box summary").click()
    page.get_by_role("combobox", name="Bereich").select_option(label="Panorama")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/archiv/?bereich=panorama*")
    kickers = page.locator(".teaser .meta").all_inner_texts()
    assert kickers
    assert all("Panorama" in meta for meta in kickers)


def test_reader_follows_a_related_news_link(page, live_server, imported_seeds):
    page.goto(live_server.url + "/artikel/digital-mit-strategie/")
    sidebar = page.locator("aside.related").first
    assert sidebar.locator("h2").inner_text() == "Mehr aus dem Bereich Politik"
    first = sidebar.locator("a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url("**" + href)
    assert page.locator("article.article h1").is_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/artikel/digital-mit-strategie/",
        "/themen/ozg/",
        "/kommunen/kreis-unna/",
        "/suche/?q=Digital",
        "/einbetten/kommune/05978/",
        "/gibt-es-nicht/",
        "/archiv/?bereich=politik",
        "/bereiche/politik/",
        "/kommunen/nordrhein-westfalen/",
        "/artikel/nachfolge-fuer-reinhard-sager/",
        "/artikel/digital-mit-strategie/druck/",
        "/autoren/",
        "/autoren/verena-beispiel/",
        "/anbieter/",
        "/anbieter/bereich/panorama/",
        "/anbieter/jcc-software-gmbh-muenster/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
    ],
)
def test_pages_have_no_accessibility_violations(page, live_server, imported_seeds, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_server.url + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [360, 1280])
def test_layout_fits_the_screen_without_horizontal_scrolling(
    page, live_server, imported_seeds, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/artikel/kreise-buendeln-kraefte/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
