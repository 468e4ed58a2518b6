import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Max

from articles.generate import generate_articles
from articles.models import Article
from articles.search import after_bulk_indexing, index_articles


class Command(BaseCommand):
    help = (
        "Create N realistic articles fast (bulk insert), for benchmarks: text from the seed "
        "sentences, long-tailed tags, register municipalities if loaded, 15 years of dates."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, metavar="N")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--without-search-index",
            action="store_true",
            help="Skip indexing the new articles for search (run rebuild_search_index later).",
        )

    def handle(self, *args, count, seed, batch_size, without_search_index, **options):
        started = time.perf_counter()
        last_id = Article.objects.aggregate(last=Max("pk"))["last"] or 0
        created = generate_articles(
            count, seed=seed, seeds_dir=settings.SEEDS_DIR, batch_size=batch_size
        )
        seconds = time.perf_counter() - started
        self.stdout.write(f"Created {created} articles in {seconds:.1f} s (seed {seed}).")
        # Fresh statistics, as autovacuum would make them later on PostgreSQL: without
        # them its planner takes 5x longer plans for the article and sitemap pages, and
        # SQLite's (which has none until ANALYZE) takes the status index for selective
        # and walks the whole archive where a list of a few keys was meant.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if without_search_index:
            return
        # Bulk inserts send no signals: index the new articles here.
        started = time.perf_counter()
        with transaction.atomic():
            index_articles(Article.objects.filter(pk__gt=last_id).values_list("pk", flat=True))
        after_bulk_indexing()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Indexed them for search in {seconds:.1f} s.")
