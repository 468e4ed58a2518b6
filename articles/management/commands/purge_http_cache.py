from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.cache import purge


class Command(BaseCommand):
    help = (
        "Sends the cache keys that writes made stale to the HTTP caches in front "
        "(settings.HTTP_CACHE_PURGE), a few times a second, until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=0.2, help="Seconds between rounds (0.2)."
        )
        parser.add_argument(
            "--once", action="store_true", help="One round, then stop (for cron or a test)."
        )

    def handle(self, *args, interval, once, **options):
        if not settings.HTTP_CACHE_PURGE:
            raise CommandError(
                "No HTTP cache to purge: set DJANGO_HTTP_CACHE_PURGE to the proxies' "
                "addresses, e.g. http://127.0.0.1:6081/ (docs/deployment.md)."
            )
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds.")
        backend = purge.purge_backend()
        self.stdout.write(
            f"Purging {', '.join(settings.HTTP_CACHE_PURGE)} every {interval:g} s "
            f"({type(backend).__name__})."
        )
        purge.run(backend, interval, rounds=1 if once else None)
