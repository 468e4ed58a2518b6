"""The news front and the archive at 1280 and 390 px, and the admin list at 1280 px,
in Debian's Chromium (Playwright)."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Section
from tests.admin.conftest import make_user
from tests.conftest import BROWSER_TEST_MARKS
from tests.factories import berlin, make_article

pytestmark = BROWSER_TEST_MARKS

PASSWORD = "x-Passwort-123"  # tests.admin.conftest.make_user's


@pytest.fixture
def front_seeds(register):
    call_command("import_seeds", stdout=StringIO())
    sections = list(Section.objects.all())
    for number in range(40):  # enough for full section blocks
        article = make_article(
            section=sections[number % len(sections)],
            published_at=berlin(2023, 1 + number % 12, 1 + number % 28),
            lead="Die Verwaltung digitalisiert ihre Leistungen Schritt für Schritt weiter.",
        )
        article.tags.add("OZG")


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    )


def test_front_uses_the_full_width_at_1280(page, live_server, front_seeds):
    page.goto(live_server.url + "/")
    lead = page.locator(".lead-story").bounding_box()
    aside = page.locator(".front-aside").bounding_box()
    header = page.locator(".site-header .wrap").first.bounding_box()
    assert aside["x"] > lead["x"] + lead["width"]  # beside the lead story, not below it
    # The right column ends where the header's row ends: no empty right third.
    assert abs((aside["x"] + aside["width"]) - (header["x"] + header["width"])) <= 20
    assert page.locator(".front-section").count() >= 2
    assert no_sideways_scroll(page)


@pytest.mark.parametrize("path", ["/", "/archiv/"])
def test_first_article_is_above_the_fold_at_390(page, live_server, front_seeds, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + path)
    first = page.locator(".lead-story h2, .teaser h2").first
    box = first.bounding_box()
    assert box["y"] + box["height"] <= 844
    assert no_sideways_scroll(page)


def test_archive_filters_are_closed_until_opened(page, live_server, front_seeds):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/archiv/")
    combobox = page.get_by_role("combobox", name="Bereich")
    assert not combobox.is_visible()
    page.locator(".filter-box summary").click()
    assert combobox.is_visible()


def test_admin_list_shows_status_and_kind_without_sideways_scroll(page, live_server, front_seeds):
    make_user("chefin", "Chefredaktion")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chefin")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/")
    sizes = page.evaluate(
        """() => {
          const results = document.querySelector('#result_list').closest('.results');
          const root = document.scrollingElement;
          return {page: root.scrollWidth - root.clientWidth,
                  table: results.scrollWidth - results.clientWidth};
        }"""
    )
    assert sizes == {"page": 0, "table": 0}
    results = page.locator(".results").bounding_box()
    for column in ("column-workflow", "column-kind_label"):  # Status, Art
        header = page.locator(f"#result_list thead th.{column}").bounding_box()
        assert header["x"] + header["width"] <= results["x"] + results["width"]
