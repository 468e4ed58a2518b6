"""The print view's "Drucken" button in Chromium, under the site's real CSP."""

from tests.conftest import BROWSER_TEST_MARKS
from tests.factories import make_article

pytestmark = BROWSER_TEST_MARKS


def test_print_button_appears_and_opens_the_print_dialog(page, live_server):
    article = make_article(title="Zum Ausdrucken")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    # Count calls instead of opening the dialog, which would block the headless browser.
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page.goto(f"{live_server.url}/artikel/{article.slug}/druck/")
    button = page.get_by_role("button", name="Drucken")
    button.click()
    assert page.evaluate("window.printed") == 1
    assert not [error for error in errors if "Content Security Policy" in error]


def test_print_view_leads_back_to_the_article(page, live_server):
    article = make_article(title="Zum Ausdrucken")
    page.goto(f"{live_server.url}/artikel/{article.slug}/druck/")
    page.get_by_role("link", name="Zurück zum Artikel").click()
    page.wait_for_url(f"{live_server.url}/artikel/{article.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Zum Ausdrucken"
