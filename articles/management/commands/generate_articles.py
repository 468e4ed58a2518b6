import time

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.generate import generate_articles


class Command(BaseCommand):
    help = (
        "Create N realistic articles fast (bulk insert), for benchmarks: text from the seed "
        "sentences, long-tailed tags, register municipalities if loaded, 15 years of dates."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, metavar="N")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, count, seed, batch_size, **options):
        started = time.perf_counter()
        created = generate_articles(
            count, seed=seed, seeds_dir=settings.SEEDS_DIR, batch_size=batch_size
        )
        seconds = time.perf_counter() - started
        self.stdout.write(f"Created {created} articles in {seconds:.1f} s (seed {seed}).")
