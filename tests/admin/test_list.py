"""The article list: workflow states incl. "geplant", filters and search."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import berlin, make_article

pytestmark = pytest.mark.django_db


def listed(client, **params):
    response = client.get(reverse("admin:articles_article_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_published_article_with_future_date_is_listed_as_geplant(superuser):
    make_article(published_at=timezone.now() + timedelta(hours=2))
    response = superuser.get(reverse("admin:articles_article_changelist"))
    assert '<span class="workflow workflow-scheduled">Geplant</span>' in response.content.decode()


def test_scheduled_article_appears_on_the_site_when_its_time_comes(client, monkeypatch):
    article = make_article(published_at=timezone.now() + timedelta(hours=2))
    assert client.get(article.get_absolute_url()).status_code == 404
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_workflow_filter_separates_scheduled_from_published(superuser):
    live = make_article()
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    review = make_article(status=Article.Status.REVIEW)
    assert listed(superuser, workflow="scheduled") == [scheduled]
    assert listed(superuser, workflow="published") == [live]
    assert listed(superuser, workflow="review") == [review]


def test_year_filter(superuser):
    old, _new = make_article(published_at=berlin(2012, 5, 1)), make_article()
    assert listed(superuser, jahr="2012") == [old]


def test_land_filter_lists_articles_once(superuser, register_excerpt):
    call_command("load_municipalities", str(register_excerpt), verbosity=0)
    from articles.models import Municipality

    nrw = Municipality.objects.get(ags="05")
    article = make_article()
    article.municipalities.add(*Municipality.objects.filter(ags__in=["05978", "05111"]))
    make_article()
    assert listed(superuser, land=str(nrw.pk)) == [article]


def test_search_finds_words_of_the_body(superuser):
    article = make_article(body=[{"type": "paragraph", "text": "Die Gemeinde nutzt Glasfaser."}])
    make_article()
    assert listed(superuser, q="Glasfaser") == [article]


def test_search_finds_umlauts_in_the_body(superuser):
    article = make_article(body=[{"type": "paragraph", "text": "Mehr Bürgerservice."}])
    assert listed(superuser, q="Bürgerservice") == [article]


def test_search_ignores_the_case_of_umlauts_and_finds_word_forms(superuser):
    article = make_article(body=[{"type": "paragraph", "text": "Über die Kommunalwahlen."}])
    make_article()
    assert listed(superuser, q="über kommunalwahl") == [article]
