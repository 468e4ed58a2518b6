"""Backups with natural keys: dump and load give back the same archive and history."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from articles.export import export_articles
from articles.models import Article, ArticleLink, SlugRedirect, SourceFile, Tag, Vendor
from tests.factories import berlin, make_article, make_municipality, make_section

pytestmark = pytest.mark.django_db(transaction=True)


def history_of_every_article() -> dict:
    """Each article's versions, by its duplicate key: what, who, when."""
    return {
        article.duplicate_key: [
            (v.history_type, v.title, v.lead, getattr(v.history_user, "username", None))
            for v in article.history.order_by("history_date", "history_id")
        ]
        for article in Article.objects.all()
    }


def make_archive():
    editor = User.objects.create_user("redakteurin", password="x-Passwort-123", is_staff=True)
    politik = make_section("Politik")
    unna = make_municipality("Kreis Unna", kind="kreis", ags="05978", slug="kreis-unna")
    gone = make_article(title="Gelöscht")  # leaves a gap in the pks
    article = make_article(title="Digitaler Masterplan", section=politik)
    article.municipalities.add(unna)
    article.tags.add("OZG", "Smart City")
    ArticleLink.objects.create(article=article, url="https://www.kreis-unna.de/", label="Kreis")
    article.source_files.add(SourceFile.objects.create(name="000_unna.txt", checksum="ab" * 32))
    article.lead, article._history_user = "Korrigierter Vorspann.", editor
    article.save()
    article.slug = "masterplan-unna"
    article.save()  # keeps the old slug as a redirect
    make_article(title="Zweiter Artikel", published_at=berlin(2020, 6, 15)).tags.add("OZG")
    Vendor.objects.create(name="JCC Software GmbH", postcode="48155", city="Münster")
    merged = Tag.objects.create(name="Onlinezugangsgesetz")
    gone.tags.add(merged)
    gone.section = make_section("Aufgelöst")
    gone.save()
    gone.delete()
    gone.section.delete()  # versions of the deleted article still name it
    Tag.objects.get(name="OZG").absorb([merged])


def test_natural_key_dump_and_load_into_an_emptied_database_round_trips(tmp_path):
    make_archive()
    exported, history = export_articles(), history_of_every_article()
    dump = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        exclude=["contenttypes", "auth.permission", "sessions"],
        output=str(dump),
        verbosity=0,
    )
    call_command("flush", interactive=False, verbosity=0)
    assert not Article.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)
    assert export_articles() == exported
    assert history_of_every_article() == history
    assert SlugRedirect.objects.get().old_slug == "digitaler-masterplan"
    assert Vendor.objects.get().natural_key() == ("JCC Software GmbH", "48155")


def test_models_are_named_by_their_natural_keys_in_a_dump(tmp_path):
    make_archive()
    dump = tmp_path / "backup.json"
    call_command(
        "dumpdata", "articles.articlelink", "--natural-foreign", output=str(dump), verbosity=0
    )
    assert '"article": ["' in dump.read_text()  # the duplicate key, not a pk
