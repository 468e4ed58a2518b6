"""Public corrections (Pressekodex, Ziffer 3): a changed live article says so, or not."""

import json
import re
from datetime import datetime

import feedparser
import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Revision
from tests.admin.helpers import change_form_data, change_url, post_change
from tests.factories import berlin, make_article
from tests.importer.seed_files import SEEDS, UNNA, full_article, run_import

pytestmark = pytest.mark.django_db

NOTE = "In einer früheren Fassung stand eine falsche Einwohnerzahl <script>x</script>."


@pytest.fixture
def live():
    return make_article(title="Digitaler Masterplan", published_at=berlin(2019, 7, 8))


def public_page(client, article):
    caches[settings.PAGE_CACHE_ALIAS].clear()  # one test transaction: see test_revisions
    client.logout()
    return client.get(article.get_absolute_url()).text


def json_ld(text) -> dict:
    return json.loads(re.search(r'application/ld\+json">(.*?)</script>', text, re.S)[1])


def correct(client, article, **changes):
    return post_change(client, article, **{"correction_kind": "hinweis", **changes})


def test_a_change_to_a_live_articles_text_asks_which_kind_of_correction(chefredaktion, live):
    response = post_change(chefredaktion, live, title="Neu", correction_kind="")
    assert "stille Korrektur oder eine Korrektur mit Hinweis" in response.text
    live.refresh_from_db()
    assert live.title == "Digitaler Masterplan"


def test_a_correction_with_notice_needs_its_note(chefredaktion, live):
    response = correct(chefredaktion, live, title="Neu", correction_note=" ")
    assert "Bitte den Hinweis für die Leser angeben" in response.text


def test_drafts_are_not_asked(chefredaktion):
    draft = make_article(status=Article.Status.DRAFT)
    form = chefredaktion.get(change_url(draft)).context["adminform"].form
    assert "correction_kind" not in form.fields


def test_a_notice_appears_under_the_article_with_its_date_and_escaped(chefredaktion, client, live):
    correct(chefredaktion, live, title="Digitaler Masterplan 2.0", correction_note=NOTE)
    correction = Correction.objects.get()
    text = public_page(client, live)
    day = f"{timezone.localtime(correction.created_at).day}."  # Berlin's day, not UTC's
    assert "Korrigiert am <time datetime=" in text and day in text
    assert "eine falsche Einwohnerzahl &lt;script&gt;x&lt;/script&gt;." in text


def test_a_notice_is_a_correction_comment_in_json_ld_and_moves_date_modified(
    chefredaktion, client, live
):
    correct(chefredaktion, live, title="Digitaler Masterplan 2.0", correction_note=NOTE)
    live.refresh_from_db()
    data = json_ld(public_page(client, live))
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": NOTE,
            "datePublished": Correction.objects.get().created_at.isoformat(),
        }
    ]
    assert data["dateModified"] == live.corrected_at.isoformat() != data["datePublished"]


def test_a_silent_correction_shows_no_notice_and_leaves_date_modified(chefredaktion, client, live):
    post_change(chefredaktion, live, title="Digitaler Masterplan", lead="Tippfehler weg.")
    text = public_page(client, live)
    assert "Korrigiert am" not in text
    assert datetime.fromisoformat(json_ld(text)["dateModified"]) == live.published_at
    assert "Stille Korrektur" in live.history.order_by("-history_id").first().history_change_reason


def test_a_notice_moves_the_feed_updated_and_the_sitemap_lastmod(chefredaktion, client, live):
    correct(chefredaktion, live, title="Neu", correction_note="Titel korrigiert.")
    live.refresh_from_db()
    caches[settings.PAGE_CACHE_ALIAS].clear()
    client.logout()
    entry = feedparser.parse(client.get("/feeds/atom/").content).entries[0]
    assert entry.updated.startswith(live.corrected_at.strftime("%Y-%m-%d"))
    sitemap = client.get("/sitemap-artikel.xml").text
    assert f"<lastmod>{timezone.localdate(live.corrected_at).isoformat()}</lastmod>" in sitemap


def test_an_unchanged_re_import_does_not_move_date_modified(client, register):
    run_import(SEEDS / UNNA)
    article = full_article("Digitaler Masterplan")
    before = json_ld(public_page(client, article))["dateModified"]
    run_import(SEEDS / UNNA, force=True)
    assert (
        json_ld(public_page(client, article))["dateModified"]
        == before
        == (article.published_at.isoformat())
    )


def test_redaktions_proposed_notice_is_published_on_approval(redaktion, chefredaktion, live):
    data = change_form_data(
        redaktion, live, title="Neu", correction_kind="hinweis", correction_note="Titel."
    )
    redaktion.post(change_url(live), data)
    assert not Correction.objects.exists()
    revision = Revision.objects.get()
    review = reverse("admin:articles_article_revision", args=[live.pk, revision.pk])
    assert chefredaktion.get(review).context["correction"] == "Korrektur mit Hinweis: „Titel.“"
    chefredaktion.post(
        reverse("admin:articles_article_revision", args=[live.pk, revision.pk]),
        {"_approve": "1"},
    )
    assert list(Correction.objects.values_list("note", flat=True)) == ["Titel."]
