"""The admin's query counts do not grow with the number of articles shown."""

import pytest
from django.urls import reverse

from articles.models import Article, Tag
from tests.factories import make_article, make_municipality, make_section

pytestmark = pytest.mark.django_db


def make_articles(number):
    section = make_section()
    places = [make_municipality() for _ in range(3)]
    tags = [Tag.objects.get_or_create(name=f"Stichwort {n}")[0] for n in range(3)]
    for _ in range(number):
        article = make_article(section=section)
        article.municipalities.add(*places)
        article.tags.add(*tags)


def changelist_queries(client, django_assert_max_num_queries, number) -> int:
    make_articles(number)
    with django_assert_max_num_queries(30) as captured:
        response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == min(number, 100)
    return len(captured)


@pytest.mark.parametrize("number", [20, 200])
def test_changelist_needs_a_fixed_number_of_queries(
    superuser, django_assert_max_num_queries, number
):
    assert changelist_queries(superuser, django_assert_max_num_queries, number) <= 16


def test_changelist_queries_at_20_and_200_rows_are_equal(superuser, django_assert_max_num_queries):
    at_20 = changelist_queries(superuser, django_assert_max_num_queries, 20)
    Article.objects.all().delete()
    at_200 = changelist_queries(superuser, django_assert_max_num_queries, 200)
    assert at_20 == at_200


def test_change_page_query_count_does_not_depend_on_relations(
    superuser, django_assert_max_num_queries
):
    counts = []
    warm_up = make_article()  # the content types, cached per process
    superuser.get(reverse("admin:articles_article_change", args=[warm_up.pk]))
    for number in (1, 20):
        article = make_article()
        article.municipalities.add(*(make_municipality() for _ in range(number)))
        article.tags.add(*(f"Stichwort {article.pk}-{n}" for n in range(number)))
        for position in range(number):
            article.links.create(position=position, url=f"https://example.org/{position}")
        with django_assert_max_num_queries(30) as captured:
            superuser.get(reverse("admin:articles_article_change", args=[article.pk]))
        counts.append(len(captured))
    assert counts[0] == counts[1]
