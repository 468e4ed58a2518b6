"""The article list's columns: narrow enough for 1280 px (tests/test_browser_front.py
measures it), with Status and Art before the wide ones."""

import pytest
from django.urls import reverse

from tests.factories import berlin, make_article

pytestmark = pytest.mark.django_db


def changelist(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    return response


def test_columns_are_article_status_kind_date_section(superuser):
    headers = [header["text"] for header in changelist(superuser).context["result_headers"]]
    assert headers[1:] == ["Artikel", "Status", "Art", "Datum", "Bereich"]


def test_article_column_shows_kicker_title_places_and_tags_escaped(superuser):
    article = make_article(kicker="Kreis <Unna>", title="<script>alert(1)</script>")
    article.tags.add("OZG")
    text = changelist(superuser).text
    assert "Kreis &lt;Unna&gt;" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Stichwörter: OZG" in text


def test_kind_column_marks_teaser_only_articles(superuser):
    make_article(teaser_only=True)
    assert '<small class="list-teaser">Nur Anreißer</small>' in changelist(superuser).text


def test_date_column_is_german_with_the_time_below(superuser):
    make_article(published_at=berlin(2024, 5, 14, 9, 30))
    expected = '14. Mai 2024<br><small class="list-time">09:30 Uhr</small>'
    assert expected in changelist(superuser).text
