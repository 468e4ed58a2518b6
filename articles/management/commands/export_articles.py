import json
from pathlib import Path

from django.core.management.base import BaseCommand

from articles.export import export_articles


class Command(BaseCommand):
    help = "Print all articles as a JSON array, sorted by date then title."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Write to this file instead of stdout.")

    def handle(self, *args, output, **options):
        text = json.dumps(export_articles(), ensure_ascii=False, indent=2) + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
