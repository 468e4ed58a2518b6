from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.register.gv100 import RegisterFormatError
from articles.register.load import load_register
from articles.register.relink import relink_municipalities


class Command(BaseCommand):
    help = (
        "Load or refresh municipalities from the official register (Destatis GV100AD). "
        "Safe to run again: entries are matched by their official key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=settings.MUNICIPAL_REGISTER_FILE,
            help="GV100AD file, plain or .gz (default: the copy shipped in data/).",
        )

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = load_register(path)
        except RegisterFormatError as error:
            raise CommandError(f"{path}:{error.line}: {error.reason}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Municipalities: {result.created} created, {result.updated} updated, "
                f"{result.aliases_created} aliases added."
            )
        )
        relinked = relink_municipalities()
        if relinked.articles_changed:
            self.stdout.write(f"Articles relinked to the register: {relinked.articles_changed}")
        self.stdout.write(settings.MUNICIPAL_REGISTER_CREDIT)
