"""Article fragments: each article's JSON, validated once and cached by content version."""

import json

import pytest
from django.test import RequestFactory

from articles.api.fragments import article_fragments
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_fragment_is_the_articles_json():
    article = make_article(title="Bürgerportal")
    (fragment,) = article_fragments(RequestFactory().get("/api/v1/articles"), [article])
    assert json.loads(fragment)["title"] == "Bürgerportal"


def test_article_unpublished_since_its_page_was_read_is_left_out():
    article = make_article()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert article_fragments(RequestFactory().get("/api/v1/articles"), [article]) == []
