"""The three related-news sidebars of an article page."""

import pytest

from articles.models import Article
from articles.public.related import SIDEBAR_SIZE, related_sidebars
from tests.factories import berlin, make_article, make_section

pytestmark = pytest.mark.django_db


def titles(sidebar):
    return [article.title for article in sidebar.articles]


def sidebar_named(article, prefix):
    return next((s for s in related_sidebars(article) if s.heading.startswith(prefix)), None)


def test_section_sidebar_lists_the_newest_of_the_same_section_without_the_article():
    politik = make_section("Politik")
    article = make_article(title="Dieser", section=politik, published_at=berlin(2024, 1, 1))
    for day in range(1, 8):
        make_article(title=f"Politik {day}", section=politik, published_at=berlin(2023, 5, day))
    make_article(title="Anderer Bereich", section=make_section("Praxis"))
    sidebar = sidebar_named(article, "Mehr aus dem Bereich")
    assert sidebar.heading == "Mehr aus dem Bereich Politik"
    assert titles(sidebar) == [f"Politik {day}" for day in (7, 6, 5, 4, 3)]


def test_sidebars_never_show_drafts_or_scheduled_articles():
    politik = make_section("Politik")
    article = make_article(section=politik)
    make_article(title="Entwurf", section=politik, status=Article.Status.DRAFT)
    make_article(title="Geplant", section=politik, published_at=berlin(2099, 1, 1))
    assert related_sidebars(article) == []


def test_empty_sidebars_are_left_out():
    assert related_sidebars(make_article()) == []


def test_topic_sidebar_ranks_by_shared_tags_then_date():
    article = make_article()
    article.tags.add("OZG", "E-Akte", "Cloud")
    one = make_article(title="Ein Stichwort", published_at=berlin(2024, 1, 1))
    one.tags.add("OZG")
    two = make_article(title="Zwei Stichwörter", published_at=berlin(2019, 1, 1))
    two.tags.add("OZG", "Cloud")
    make_article(title="Fremdes Thema").tags.add("Breitband")
    assert titles(sidebar_named(article, "Zum Thema")) == ["Zwei Stichwörter", "Ein Stichwort"]


def test_no_article_appears_in_two_sidebars():
    politik = make_section("Politik")
    article = make_article(section=politik)
    article.tags.add("OZG")
    shared = make_article(title="Passt zweimal", section=politik)
    shared.tags.add("OZG")
    sidebars = related_sidebars(article)
    assert [titles(s) for s in sidebars] == [["Passt zweimal"]]


def test_each_sidebar_holds_at_most_five():
    politik = make_section("Politik")
    article = make_article(section=politik)
    for day in range(1, 12):
        make_article(section=politik, published_at=berlin(2022, 1, day))
    assert len(related_sidebars(article)[0].articles) == SIDEBAR_SIZE
