"""Merging twin articles: the older one stays and takes over everything of the other."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.cache.content_version import current_version
from articles.merging import merge_articles
from articles.models import (
    Article,
    ArticleLink,
    Correction,
    EditingPresence,
    Finding,
    ImportedArticle,
    ImportFile,
    ImportRun,
    Revision,
    SlugRedirect,
    SourceFile,
    Tag,
)
from tests.admin.conftest import logged_in, make_user
from tests.admin.helpers import changelist_url, messages_of, run_action
from tests.factories import make_article, make_municipality, make_section

pytestmark = pytest.mark.django_db


def twins(**newer_fields):
    """An article and its twin, created a day later (the one a merge absorbs)."""
    older = make_article(title="Digitaler Masterplan")
    newer = make_article(title="Digitaler Masterplan beschlossen", **newer_fields)
    Article.objects.filter(pk=newer.pk).update(created_at=older.created_at + timedelta(days=1))
    newer.refresh_from_db()
    return older, newer


def import_file(name="x.txt", position=0) -> ImportFile:
    run = ImportRun.objects.create(origin="command")
    return ImportFile.objects.create(run=run, position=position, name=name, status="imported")


def finding(article, kind=Finding.Kind.CAPTION, field="image_caption", fingerprint="a", **more):
    return Finding.objects.create(
        article=article,
        kind=kind,
        field=field,
        message="Zu prüfen",
        fingerprint=fingerprint,
        **more,
    )


def get_uncached(client, url):
    caches[settings.PAGE_CACHE_ALIAS].clear()
    return client.get(url)


# --- which article stays ---------------------------------------------------------


def test_merge_keeps_the_older_article_with_its_id_and_slug():
    older, newer = twins()
    result = merge_articles([newer, older])
    assert result.kept.pk == older.pk
    assert result.absorbed_ids == [newer.pk]
    assert list(Article.objects.values_list("pk", "slug")) == [(older.pk, older.slug)]


def test_merge_keeps_the_earlier_created_article_even_with_the_higher_id():
    first, second = make_article(), make_article()
    Article.objects.filter(pk=second.pk).update(created_at=first.created_at - timedelta(days=1))
    assert merge_articles([first, second]).kept.pk == second.pk


def test_merge_keeps_the_smaller_id_when_both_were_created_at_once():
    first, second = make_article(), make_article()
    Article.objects.filter(pk=second.pk).update(created_at=first.created_at)
    assert merge_articles([second, first]).kept.pk == first.pk


def test_merge_keeps_the_kept_articles_duplicate_key():
    older, newer = twins()
    merge_articles([older, newer])
    assert list(Article.objects.values_list("duplicate_key", flat=True)) == [older.duplicate_key]


def test_merge_needs_two_articles():
    article = make_article()
    with pytest.raises(ValidationError):
        merge_articles([article, article])


def test_merge_of_three_articles_keeps_the_oldest():
    older, newer = twins()
    newest = make_article()
    Article.objects.filter(pk=newest.pk).update(created_at=newer.created_at + timedelta(days=1))
    result = merge_articles([newest, newer, older])
    assert (result.kept.pk, result.absorbed_ids) == (older.pk, [newer.pk, newest.pk])
    assert Article.objects.count() == 1


# --- addresses -------------------------------------------------------------------


def test_the_absorbed_articles_url_answers_301_to_the_kept_article(client):
    older, newer = twins()
    url = reverse("articles:detail", kwargs={"slug": newer.slug})
    assert get_uncached(client, url).status_code == 200
    merge_articles([older, newer])
    response = get_uncached(client, url)
    assert response.status_code == 301
    assert response["Location"] == older.get_absolute_url()


def test_former_urls_of_the_absorbed_article_lead_to_the_kept_one(client):
    older, newer = twins()
    SlugRedirect.objects.create(old_slug="digitaler-masterplan-entwurf", article=newer)
    merge_articles([older, newer])
    url = reverse("articles:detail", kwargs={"slug": "digitaler-masterplan-entwurf"})
    response = get_uncached(client, url)
    assert (response.status_code, response["Location"]) == (301, older.get_absolute_url())


# Committed, as in production: on PostgreSQL the version rises once per transaction.
@pytest.mark.django_db(transaction=True)
def test_merge_makes_the_cached_page_of_the_kept_article_stale(client):
    older, newer = twins(body=[{"type": "paragraph", "text": "Breitbandausbau in Kamen."}])
    assert "Breitbandausbau" not in client.get(older.get_absolute_url()).text
    before = current_version()
    merge_articles([older, newer])
    assert current_version() > before
    assert "Breitbandausbau" in client.get(older.get_absolute_url()).text


# --- relations -------------------------------------------------------------------


def test_merge_unites_the_tags():
    older, newer = twins()
    older.tags.add("OZG", "Digitalisierung")
    newer.tags.add("OZG", "Masterplan")
    merge_articles([older, newer])
    assert sorted(older.tags.names()) == ["Digitalisierung", "Masterplan", "OZG"]
    assert Tag.objects.count() == 3


def test_merge_unites_the_places():
    older, newer = twins()
    unna, kamen, bergkamen = (make_municipality(n) for n in ("Unna", "Kamen", "Bergkamen"))
    older.municipalities.add(unna, kamen)
    newer.municipalities.add(kamen, bergkamen)
    merge_articles([older, newer])
    assert set(older.municipalities.all()) == {unna, kamen, bergkamen}


def test_merge_unites_the_source_files():
    older, newer = twins()
    first, second = (
        SourceFile.objects.create(name=name, checksum="0" * 64) for name in ("a.txt", "b.txt")
    )
    older.source_files.add(first)
    newer.source_files.add(first, second)
    merge_articles([older, newer])
    assert set(older.source_files.all()) == {first, second}


def test_merge_appends_the_links_the_kept_article_lacks_without_duplicates():
    older, newer = twins()
    ArticleLink.objects.create(article=older, position=0, url="https://unna.de/", label="Unna")
    ArticleLink.objects.create(article=older, position=3, label="Ratsbeschluss")
    ArticleLink.objects.create(article=newer, position=0, url="https://kamen.de/", label="K")
    ArticleLink.objects.create(article=newer, position=1, url="https://unna.de/", label="Stadt")
    ArticleLink.objects.create(article=newer, position=2, label="Ratsbeschluss")
    ArticleLink.objects.create(article=newer, position=3, label="Vorlage")
    merge_articles([older, newer])
    assert list(older.links.values_list("position", "url", "label")) == [
        (0, "https://unna.de/", "Unna"),
        (1, "", "Ratsbeschluss"),
        (2, "https://kamen.de/", "K"),
        (3, "", "Vorlage"),
    ]
    assert ArticleLink.objects.count() == 4


# --- fields ----------------------------------------------------------------------


def test_merge_takes_over_fields_the_kept_article_lacks():
    section = make_section("Politik")
    body = [{"type": "paragraph", "text": "Der Rat hat beschlossen."}]
    older, newer = twins(body=body, image_caption="Das Rathaus", section=section)
    Article.objects.filter(pk=older.pk).update(lead="")
    newer_lead = newer.lead
    merge_articles([older, newer])
    older.refresh_from_db()
    assert (older.lead, older.body) == (newer_lead, body)
    assert (older.image_caption, older.section) == ("Das Rathaus", section)


def test_merge_takes_over_the_image_with_its_alternative_text():
    older, newer = twins(image="artikel/2019/07/rathaus.png", image_alt="Das Rathaus von Unna")
    merge_articles([older, newer])
    older.refresh_from_db()
    assert (older.image.name, older.image_alt) == (
        "artikel/2019/07/rathaus.png",
        "Das Rathaus von Unna",
    )


def test_a_teaser_that_takes_over_the_full_text_is_no_longer_a_teaser():
    older, newer = twins(body=[{"type": "paragraph", "text": "Der Rat hat beschlossen."}])
    Article.objects.filter(pk=older.pk).update(teaser_only=True)
    older.refresh_from_db()
    merge_articles([older, newer])
    older.refresh_from_db()
    assert not older.teaser_only


def test_merge_keeps_the_kept_articles_own_fields():
    older, newer = twins(lead="Ein anderer Vorspann.", image_caption="Das Rathaus")
    Article.objects.filter(pk=older.pk).update(lead="Der Vorspann.", image_caption="Der Rat")
    merge_articles([older, newer])
    older.refresh_from_db()
    assert (older.lead, older.image_caption) == ("Der Vorspann.", "Der Rat")


def test_merge_leaves_a_field_empty_that_an_editor_emptied():
    older, newer = twins(image_caption="Das Rathaus")
    Article.objects.filter(pk=older.pk).update(edited_fields=["image_caption"])
    merge_articles([older, newer])
    older.refresh_from_db()
    assert older.image_caption == ""


def test_merge_unites_the_edit_marks():
    older, newer = twins(edited_fields=["tags", "title"])
    Article.objects.filter(pk=older.pk).update(edited_fields=["lead"])
    merge_articles([older, newer])
    older.refresh_from_db()
    assert older.edited_fields == ["lead", "tags", "title"]


def test_merge_publishes_nothing():
    older, newer = twins()
    Article.objects.filter(pk=older.pk).update(status=Article.Status.DRAFT)
    merge_articles([older, newer])
    older.refresh_from_db()
    assert older.status == Article.Status.DRAFT


def test_merge_makes_the_taken_over_text_searchable():
    older, newer = twins(body=[{"type": "paragraph", "text": "Breitbandausbau in Kamen."}])
    merge_articles([older, newer])
    assert list(Article.objects.search("Breitbandausbau")) == [older]


# --- history ---------------------------------------------------------------------


def test_the_kept_articles_history_holds_both_articles_versions_and_the_merge():
    older, newer = twins()
    versions = set(Article.history.values_list("history_id", flat=True))
    merge_articles([older, newer])
    history = list(older.history.order_by("history_id"))
    assert {v.history_id for v in history[:-1]} == versions
    merge = history[-1]
    assert (merge.history_type, merge.history_change_reason) == (
        "~",
        f"Zusammengeführt mit Nr. {newer.pk} („Digitaler Masterplan beschlossen“)",
    )


def test_merge_records_the_united_tags_in_its_version():
    older, newer = twins()
    newer.tags.add("OZG")
    merge_articles([older, newer])
    assert list(older.history.latest().tags.values_list("tag__name", flat=True)) == ["OZG"]


def test_merge_leaves_no_deletion_version():
    older, newer = twins()
    merge_articles([older, newer])
    assert not Article.history.filter(history_type="-").exists()
    assert not Article.history.filter(id=newer.pk).exists()


def test_merge_records_who_merged():
    user = make_user("chefin")
    older, newer = twins()
    merge_articles([older, newer], user=user)
    assert older.history.latest().history_user == user


# --- findings, import rows, proposals, corrections -----------------------------------


def test_merge_moves_the_findings():
    older, newer = twins()
    moved = finding(newer, fingerprint="b")
    merge_articles([older, newer])
    moved.refresh_from_db()
    assert moved.article_id == older.pk


def test_merge_drops_a_finding_the_kept_article_has_already():
    older, newer = twins()
    kept = finding(older, fingerprint="same")
    finding(newer, fingerprint="same")
    merge_articles([older, newer])
    assert list(Finding.objects.values_list("pk", flat=True)) == [kept.pk]


def test_merge_closes_the_possible_twin_findings():
    user = make_user("chefin")
    older, newer = twins()
    on_kept = finding(older, kind=Finding.Kind.POSSIBLE_TWIN, field="", subject=str(newer.pk))
    on_absorbed = finding(
        newer, kind=Finding.Kind.POSSIBLE_TWIN, field="", subject=str(older.pk), fingerprint="b"
    )
    merge_articles([older, newer], user=user)
    closed = Finding.objects.filter(pk__in=[on_kept.pk, on_absorbed.pk]).values_list(
        "article", "status", "resolution", "closed_by"
    )
    assert list(closed) == 2 * [
        (older.pk, Finding.Status.CLOSED, Finding.Resolution.MERGED, user.pk)
    ]


def test_merge_leaves_other_findings_open():
    older, newer = twins()
    caption = finding(older)
    merge_articles([older, newer])
    caption.refresh_from_db()
    assert caption.is_open


def test_merge_moves_the_import_rows_once_per_file():
    older, newer = twins()
    both, only_newer = import_file("a.txt"), import_file("b.txt")
    ImportedArticle.objects.create(file=both, article=older, action="created")
    ImportedArticle.objects.create(file=both, article=newer, action="created")
    ImportedArticle.objects.create(file=only_newer, article=newer, action="updated")
    merge_articles([older, newer])
    rows = ImportedArticle.objects.order_by("file__name").values_list("file__name", "article")
    assert list(rows) == [("a.txt", older.pk), ("b.txt", older.pk)]


def test_merge_moves_proposed_changes_and_correction_notices():
    author = make_user("autorin")
    older, newer = twins()
    revision = Revision.objects.create(article=newer, author=author, loaded_state="{}")
    correction = Correction.objects.create(article=newer, note="Name korrigiert.")
    merge_articles([older, newer])
    revision.refresh_from_db()
    correction.refresh_from_db()
    assert (revision.article_id, correction.article_id) == (older.pk, older.pk)


def test_the_kept_article_shows_the_latest_public_correction():
    older, newer = twins()
    corrected = timezone.now()
    Article.objects.filter(pk=newer.pk).update(corrected_at=corrected)
    merge_articles([older, newer])
    older.refresh_from_db()
    assert older.corrected_at == corrected


def test_merge_closes_the_absorbed_articles_open_forms():
    older, newer = twins()
    EditingPresence.ping(newer.pk, make_user("autorin"))
    merge_articles([older, newer])
    assert not EditingPresence.objects.exists()


# --- the admin action ------------------------------------------------------------


@pytest.fixture
def merger(chefredaktion_user):
    """Chefredaktion with the right to merge articles, given directly (whether the
    group has it is the business of the role migrations)."""
    chefredaktion_user.user_permissions.add(Permission.objects.get(codename="merge_article"))
    return logged_in(chefredaktion_user)


def offered_actions(client) -> set[str]:
    form = client.get(changelist_url()).context["action_form"]
    return {name for name, _ in form.fields["action"].choices if name}


def test_the_action_is_offered_to_whoever_may_merge(merger):
    make_article()
    assert "merge_articles" in offered_actions(merger)


def test_the_action_is_not_offered_without_the_right_to_merge(redaktion):
    make_article()
    assert "merge_articles" not in offered_actions(redaktion)


def test_the_action_is_refused_without_the_right_to_merge(redaktion):
    older, newer = twins()
    run_action(redaktion, "merge_articles", [older, newer], target=older.pk, confirm="1")
    assert Article.objects.count() == 2


def test_the_action_first_asks_for_confirmation_naming_the_kept_article(merger):
    older, newer = twins()
    response = run_action(merger, "merge_articles", [newer, older])
    assert response.templates[0].name == "admin/articles/merge_confirmation.html"
    assert [c.pk for c in response.context["candidates"]] == [older.pk]
    assert f"Nr. {newer.pk}" in response.context["intro"]
    assert Article.objects.count() == 2


def test_the_confirmed_action_merges_into_the_older_article(merger):
    older, newer = twins()
    response = run_action(merger, "merge_articles", [newer, older], target=older.pk, confirm="1")
    assert messages_of(response) == [
        f"1 Artikel in „{older}“ (Nr. {older.pk}) zusammengeführt; deren Adressen leiten "
        "jetzt dorthin weiter."
    ]
    assert list(Article.objects.values_list("pk", flat=True)) == [older.pk]


def test_the_action_merges_nothing_when_another_target_is_posted(merger):
    older, newer = twins()
    run_action(merger, "merge_articles", [newer, older], target=newer.pk, confirm="1")
    assert Article.objects.count() == 2


def test_the_action_needs_two_articles(merger):
    article = make_article()
    response = run_action(merger, "merge_articles", [article])
    assert messages_of(response) == ["Bitte mindestens zwei Artikel wählen."]
    assert Article.objects.count() == 1
