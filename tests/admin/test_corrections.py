"""The corrections rule: what an editor changes by hand, the next import leaves alone."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from tests.admin.helpers import post_change, run_action
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SEED = settings.SEEDS_DIR / "000_6574cf2c9a28390d.txt"  # Kreis Unna: Digitaler Masterplan


def import_seed():
    call_command("import_seeds", str(SEED), "--force", stdout=StringIO())
    return Article.objects.get(duplicate_key="2019-07-08|kreis unna|digitaler masterplan")


def test_title_changed_in_admin_is_marked_as_edited(chefredaktion):
    article = make_article(title="Digitaler Masterplan")
    post_change(chefredaktion, article, title="Digitaler Masterplan beschlossen")
    article.refresh_from_db()
    assert article.title == "Digitaler Masterplan beschlossen"
    assert article.edited_fields == ["title"]


def test_saving_without_changes_marks_nothing(chefredaktion):
    article = make_article()
    response = post_change(chefredaktion, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.edited_fields == []


def test_corrected_title_survives_the_next_import(chefredaktion, register):
    article = import_seed()
    post_change(chefredaktion, article, title="Digitaler Masterplan für den Kreis Unna")
    import_seed()
    article.refresh_from_db()
    assert article.title == "Digitaler Masterplan für den Kreis Unna"
    assert Article.objects.filter(kicker="Kreis Unna").count() == 1


def test_import_still_updates_fields_nobody_edited(chefredaktion, register):
    article = import_seed()
    post_change(chefredaktion, article, title="Korrigierter Titel")
    Article.objects.filter(pk=article.pk).update(lead="veraltet")
    import_seed()
    article.refresh_from_db()
    assert article.lead.startswith("Anhand eines digitalen Masterplans")


def test_changed_links_are_marked_and_kept_by_the_import(chefredaktion, register):
    article = import_seed()
    link = article.links.get()
    post_change(
        chefredaktion, article, **{"links-0-id": str(link.pk), "links-0-label": "Kreis Unna"}
    )
    import_seed()
    article.refresh_from_db()
    assert article.is_edited("links")
    assert list(article.links.values_list("label", flat=True)) == ["Kreis Unna"]


def test_form_shows_a_badge_on_edited_fields(chefredaktion):
    article = make_article(edited_fields=["title"])
    response = chefredaktion.get(f"/admin/articles/article/{article.pk}/change/")
    assert "von Redaktion geändert" in response.content.decode()


def test_publish_action_does_not_mark_fields(chefredaktion):
    article = make_article(status=Article.Status.DRAFT)
    run_action(chefredaktion, "publish", [article])
    article.refresh_from_db()
    assert article.edited_fields == []


def test_releasing_the_marks_lets_the_import_overwrite_again(chefredaktion, register):
    article = import_seed()
    post_change(chefredaktion, article, title="Korrigierter Titel")
    response = run_action(chefredaktion, "release_edit_marks", [article])
    assert "Markierungen bei 1 Artikel aufgehoben" in response.content.decode()
    import_seed()
    article.refresh_from_db()
    assert article.title == "Digitaler Masterplan"
    assert article.edited_fields == []
