import time

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.search import after_bulk_indexing, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index of all articles (PostgreSQL or SQLite)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        with transaction.atomic():
            count = rebuild_index()
        after_bulk_indexing()
        self.stdout.write(
            f"Search index rebuilt: {count} articles in {time.perf_counter() - started:.1f} s"
        )
