"""The three related-news sidebars of an article page."""

import pytest

from articles.models import Article
from articles.public import related
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


@pytest.mark.parametrize("sparse_links", [1000, 2])  # a small tag's plan, a large tag's
def test_topic_sidebar_is_the_same_whichever_way_a_tag_is_read(monkeypatch, sparse_links):
    monkeypatch.setattr(related, "SPARSE_LINKS", sparse_links)
    article = make_article()
    article.tags.add("OZG", "Cloud", "Selten")
    for day in range(1, 5):
        make_article(title=f"OZG {day}", published_at=berlin(2024, 1, day)).tags.add("OZG")
    both = make_article(title="Beide", published_at=berlin(2020, 1, 1))
    both.tags.add("OZG", "Cloud")
    make_article(title="Selten", published_at=berlin(2010, 1, 1)).tags.add("Selten")
    make_article(title="Entwurf", status=Article.Status.DRAFT).tags.add("OZG", "Cloud")
    assert titles(sidebar_named(article, "Zum Thema")) == [
        "Beide",
        "OZG 4",
        "OZG 3",
        "OZG 2",
        "OZG 1",
    ]


def test_topic_sidebar_ranks_the_newest_of_each_tag(monkeypatch):
    """An article sharing more tags, but older than each tag's newest candidates, is
    not looked for: the sidebar never reads a tag's whole history."""
    monkeypatch.setattr(related, "TOPIC_CANDIDATES", 3)
    article = make_article()
    article.tags.add("OZG", "Cloud")
    make_article(title="Alt, beide", published_at=berlin(2010, 1, 1)).tags.add("OZG", "Cloud")
    for day in range(1, 4):
        make_article(title=f"OZG {day}", published_at=berlin(2024, 1, day)).tags.add("OZG")
        make_article(title=f"Cloud {day}", published_at=berlin(2023, 1, day)).tags.add("Cloud")
    assert titles(sidebar_named(article, "Zum Thema")) == [
        "OZG 3",
        "OZG 2",
        "OZG 1",
        "Cloud 3",
        "Cloud 2",
    ]


def test_topic_sidebar_of_tags_nobody_else_carries_is_left_out():
    article = make_article()
    article.tags.add("Einzig")
    assert sidebar_named(article, "Zum Thema") is None
