# Full-text search: a tsvector column (PostgreSQL), an FTS5 table (SQLite).
# The statements are copied here, not imported, so that this migration never changes.

import django.contrib.postgres.search
from django.db import migrations

POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'german_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION german_unaccent (COPY = german);
            ALTER TEXT SEARCH CONFIGURATION german_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;
        END IF;
    END $$""",
    "CREATE INDEX IF NOT EXISTS article_search_vector_gin "
    "ON articles_article USING gin (search_vector)",
]
POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS article_search_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS german_unaccent",
]
SQLITE_SETUP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search_fts USING fts5("
    "kicker, title, lead, body, tags, places, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
]
SQLITE_TEARDOWN = ["DROP TABLE IF EXISTS articles_search_fts"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_editorial_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(
            run({"postgresql": POSTGRES_SETUP, "sqlite": SQLITE_SETUP}),
            run({"postgresql": POSTGRES_TEARDOWN, "sqlite": SQLITE_TEARDOWN}),
        ),
    ]
