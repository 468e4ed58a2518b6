"""The editors' admin in a real browser: a correction survives the next import."""

from io import StringIO

from django.conf import settings
from django.core.management import call_command

from articles.models import Article, Municipality
from tests.admin.conftest import make_user
from tests.conftest import BROWSER_TEST_MARKS

SEED = settings.SEEDS_DIR / "000_6574cf2c9a28390d.txt"
PASSWORD = "x-Passwort-123"

pytestmark = BROWSER_TEST_MARKS


def import_seed():
    if not Municipality.objects.exists():  # the import refuses an empty register
        Municipality.objects.create(name="Nordrhein-Westfalen", slug="nrw", kind="land", ags="05")
    call_command("import_seeds", str(SEED), "--force", stdout=StringIO())


def test_chefredaktion_corrects_a_title_and_the_import_keeps_it(page, live_server):
    import_seed()
    make_user("chefin", "Chefredaktion")  # Redaktion's change to a live article waits
    article = Article.objects.get(duplicate_key="2019-07-08|kreis unna|digitaler masterplan")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chefin")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():  # logged in before the next page is asked for
        page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.fill("#id_title", "Digitaler Masterplan für den Kreis Unna")
    page.check("input[name=correction_kind][value=still]")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert "von Redaktion geändert" in page.locator("label[for=id_title]").inner_text()

    import_seed()

    page.reload()
    assert page.input_value("#id_title") == "Digitaler Masterplan für den Kreis Unna"
    article.refresh_from_db()
    assert article.title == "Digitaler Masterplan für den Kreis Unna"
