"""Four eyes: Redaktion's change to a live or scheduled article waits for Chefredaktion."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Revision
from tests.admin.helpers import change_form_data, change_url, messages_of, post_change
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return make_article(title="Digitaler Masterplan", lead="Alter Vorspann.")


def review_url(revision) -> str:
    return reverse("admin:articles_article_revision", args=[revision.article_id, revision.pk])


def propose(client, article, **changes) -> Revision:
    response = client.post(change_url(article), change_form_data(client, article, **changes))
    assert response.status_code == 302
    return Revision.objects.get(article=article, status=Revision.Status.PENDING)


def public_title(client, article) -> str:
    """The title the public page renders (past the page cache: on PostgreSQL the test's
    one transaction raises the content version only once)."""
    caches[settings.PAGE_CACHE_ALIAS].clear()
    client.logout()
    return client.get(article.get_absolute_url()).context["article"].title


def test_redaktions_change_to_a_live_article_waits_and_the_article_stays(redaktion, live):
    response = redaktion.post(
        change_url(live), change_form_data(redaktion, live, title="Neuer Titel"), follow=True
    )
    assert "wartet auf Freigabe" in messages_of(response)[0]
    live.refresh_from_db()
    assert live.title == "Digitaler Masterplan"
    revision = Revision.objects.get()
    assert (revision.author.username, revision.fields) == ("redakteurin", ["Titel"])


def test_redaktions_change_to_a_scheduled_article_waits_too(redaktion):
    scheduled = make_article(title="Geplant", published_at=timezone.now() + timedelta(days=3))
    propose(redaktion, scheduled, lead="Neu.")
    scheduled.refresh_from_db()
    assert scheduled.lead != "Neu."


def test_redaktion_saves_a_draft_directly(redaktion):
    draft = make_article(status=Article.Status.DRAFT)
    post_change(redaktion, draft, title="Sofort")
    draft.refresh_from_db()
    assert draft.title == "Sofort" and not Revision.objects.exists()


def test_chefredaktions_own_change_goes_live_directly(chefredaktion, live):
    post_change(chefredaktion, live, title="Sofort")
    live.refresh_from_db()
    assert live.title == "Sofort" and not Revision.objects.exists()


def test_approval_makes_the_change_public_and_records_whose_proposal_it_was(
    redaktion, chefredaktion, chefredaktion_user, client, live
):
    revision = propose(redaktion, live, title="Neuer Titel")
    assert public_title(client, live) == "Digitaler Masterplan"
    response = chefredaktion.post(review_url(revision), {"_approve": "1"})
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == "Neuer Titel"
    assert public_title(client, live) == "Neuer Titel"
    revision.refresh_from_db()
    assert (revision.status, revision.decided_by) == (Revision.Status.APPROVED, chefredaktion_user)
    version = live.history.order_by("-history_id").first()
    assert version.history_user == chefredaktion_user
    assert version.history_change_reason.startswith("Freigabe des Vorschlags von redakteurin")


def test_the_review_page_shows_the_proposal_against_the_live_version(
    redaktion, chefredaktion, live
):
    revision = propose(redaktion, live, title="Neuer Titel")
    rows = chefredaktion.get(review_url(revision)).context["rows"]
    assert [(r["label"], r["live"], r["proposed"]) for r in rows] == [
        ("Titel", "Digitaler Masterplan", "Neuer Titel")
    ]


def test_approval_after_a_live_change_lets_the_approver_decide_per_field(
    redaktion, chefredaktion, live
):
    revision = propose(redaktion, live, title="Vorgeschlagener Titel", kicker="Kreis Unna")
    post_change(chefredaktion, live, title="Live korrigiert")
    conflict = chefredaktion.post(review_url(revision), {"_approve": "1"})
    assert conflict.status_code == 409
    assert [row["name"] for row in conflict.context["rows"] if row["kind"] == "both"] == ["title"]
    data = {}
    for key, value in conflict.context["hidden"]:
        data.setdefault(key, []).append(value)
    data |= {"_choose__title": "theirs", "_continue": "1"}
    assert chefredaktion.post(change_url(live), data).status_code == 302
    live.refresh_from_db()
    assert (live.title, live.kicker) == ("Live korrigiert", "Kreis Unna")
    revision.refresh_from_db()
    assert revision.status == Revision.Status.APPROVED


def test_rejection_needs_a_reason_and_the_author_sees_it(redaktion, chefredaktion, live):
    revision = propose(redaktion, live, title="Neuer Titel")
    without = chefredaktion.post(review_url(revision), {"_reject": "1", "reason": " "})
    assert "Bitte einen Grund" in without.context["error"]
    chefredaktion.post(review_url(revision), {"_reject": "1", "reason": "Titel zu lang."})
    revision.refresh_from_db()
    assert (revision.status, revision.reason) == (Revision.Status.REJECTED, "Titel zu lang.")
    live.refresh_from_db()
    assert live.title == "Digitaler Masterplan"
    assert "Titel zu lang." in redaktion.get(change_url(live)).text


@pytest.mark.parametrize("decision", [{"_approve": "1"}, {"_reject": "1", "reason": "Nein."}])
def test_redaktion_cannot_decide_a_proposal_even_with_a_crafted_post(redaktion, live, decision):
    revision = propose(redaktion, live, title="Neuer Titel")
    assert redaktion.post(review_url(revision), decision).status_code == 403
    revision.refresh_from_db()
    live.refresh_from_db()
    assert (revision.status, live.title) == (Revision.Status.PENDING, "Digitaler Masterplan")


def test_a_crafted_revision_field_in_redaktions_post_approves_nothing(redaktion, live):
    revision = propose(redaktion, live, title="Neuer Titel")
    data = change_form_data(redaktion, live, lead="Anders.") | {"_revision": str(revision.pk)}
    redaktion.post(change_url(live), data)
    revision.refresh_from_db()
    live.refresh_from_db()
    assert (revision.status, live.lead) == (Revision.Status.PENDING, "Alter Vorspann.")


def test_staff_preview_shows_the_proposal_and_keeps_the_live_version(redaktion, live):
    revision = propose(redaktion, live, title="Neuer Titel")
    url = reverse("admin:articles_article_revision_preview", args=[live.pk, revision.pk])
    page = redaktion.get(url)
    assert "Neuer Titel" in page.text and "Vorschau des Änderungsvorschlags" in page.text
    assert "no-cache" in page["Cache-Control"]
    live.refresh_from_db()
    assert live.title == "Digitaler Masterplan"
    assert not live.history.filter(title="Neuer Titel").exists()


def test_restoring_an_old_version_of_a_live_article_is_a_proposal_too(redaktion, live):
    version = live.history.order_by("-history_id").first()
    live.title = "Später"
    live.save()
    url = reverse("admin:articles_article_simple_history", args=[live.pk, version.pk])
    from tests.admin.helpers import form_values

    redaktion.post(url, form_values(redaktion.get(url).context["adminform"].form))
    live.refresh_from_db()
    assert live.title == "Später"
    assert Revision.objects.get().data["title"] == ["Digitaler Masterplan"]


def test_a_date_crafted_into_a_proposal_is_not_approved_with_it(redaktion, chefredaktion):
    christmas = timezone.now() + timedelta(days=30)
    scheduled = make_article(published_at=christmas)
    data = change_form_data(redaktion, scheduled, title="Neu")
    data |= {"published_at_0": "2019-07-08", "published_at_1": "12:00:00", "status": "draft"}
    redaktion.post(change_url(scheduled), data)
    revision = Revision.objects.get()
    assert "published_at_0" not in revision.data and "status" not in revision.data
    chefredaktion.post(review_url(revision), {"_approve": "1"})
    scheduled.refresh_from_db()
    assert (scheduled.title, scheduled.status) == ("Neu", Article.Status.PUBLISHED)
    assert scheduled.published_at == christmas.replace(microsecond=0)
