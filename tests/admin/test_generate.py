"""generate_articles: realistic, bulk-inserted, deterministic articles for benchmarks."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.generate import generate_articles, seed_sentences
from articles.models import Article, TaggedArticle

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 1)


def generate(count, seed=7):
    return generate_articles(count, seed=seed, seeds_dir=settings.SEEDS_DIR, today=TODAY)


def snapshot():
    return list(
        Article.objects.order_by("pk").values_list(
            "kicker", "title", "slug", "published_at", "body"
        )
    )


def test_command_creates_the_requested_number_of_articles():
    call_command("generate_articles", "50", "--seed", "3", stdout=StringIO())
    assert Article.objects.count() == 50


def test_slugs_and_duplicate_keys_are_unique_and_set():
    generate(300)
    slugs = list(Article.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 300 and all(slugs)
    assert all(Article.objects.values_list("duplicate_key", flat=True))


def test_a_second_run_adds_articles_without_clashes():
    generate(100)
    generate(100)
    assert Article.objects.count() == 200


def test_same_seed_gives_the_same_articles():
    generate(40)
    first = snapshot()
    Article.objects.all().delete()
    generate(40)
    assert snapshot() == first


def test_body_is_built_from_seed_sentences():
    generate(20)
    sentences = set(seed_sentences(settings.SEEDS_DIR))
    article = Article.objects.filter(teaser_only=False).first()
    first_paragraph = article.body[0]["text"] if article.body[0]["type"] == "paragraph" else ""
    assert any(first_paragraph.startswith(sentence) for sentence in sentences)


def test_mix_of_states_tags_and_dates():
    generate(600)
    statuses = set(Article.objects.values_list("status", flat=True))
    assert statuses == {"draft", "review", "published"}
    assert Article.objects.filter(status="published", published_at__date__gt=TODAY).exists()
    assert Article.objects.filter(teaser_only=True).exists()
    assert TaggedArticle.objects.count() >= 600
    years = {d.year for d in Article.objects.values_list("published_at", flat=True)}
    assert len(years) >= 14


def test_links_register_municipalities_when_loaded(register_excerpt):
    call_command("load_municipalities", str(register_excerpt), verbosity=0)
    generate(100)
    assert Article.municipalities.through.objects.exists()


def test_generated_articles_are_searchable():
    from articles.models import Article
    from articles.search import search_articles

    call_command("generate_articles", "20", "--seed", "3", stdout=StringIO())
    title = Article.objects.published().first().title
    word = max(title.split(), key=len)
    assert search_articles(word, Article.objects.published()).queryset.count() >= 1
