from django.core.management.base import BaseCommand

from articles.register.relink import relink_municipalities


class Command(BaseCommand):
    help = (
        "Resolve the places of all articles (teasers included) again from their kickers and "
        "tags, after the register or an alias changed. Places an editor corrected stay."
    )

    def handle(self, *args, **options):
        result = relink_municipalities()
        self.stdout.write(
            f"Articles relinked: {result.articles_changed} "
            f"(places {result.places_added} added, {result.places_removed} removed); "
            f"findings closed: {result.findings_closed}"
        )
