"""The content version: one number that every write to public content raises.

Database triggers raise it, not Django signals: admin actions, merges and the import
write with QuerySet.update() and bulk_create(), which send no signals, and a trigger
also sees a raw UPDATE or a restore. The counter row is written in the same
transaction as the content, so no reader sees the new version before the new content.

The triggers are (re)installed after every migrate, idempotently: SQLite rebuilds a
table on many schema changes and drops the table's triggers with it.
"""

from django.db import DatabaseError, connection

from articles.models import (
    Article,
    ArticleLink,
    Author,
    ContentVersion,
    Correction,
    Municipality,
    MunicipalityAlias,
    Section,
    SiteIdentity,
    SlugRedirect,
    Tag,
    TagAlias,
    TaggedArticle,
    TagRedirect,
    Vendor,
    VendorAlias,
)

WATCHED_MODELS = (
    Article,
    Article.municipalities.through,
    Author,
    ArticleLink,
    Correction,
    Municipality,
    MunicipalityAlias,
    Section,
    SiteIdentity,
    SlugRedirect,
    Tag,
    TagAlias,
    TaggedArticle,
    TagRedirect,
    Vendor,
    VendorAlias,
)
COUNTER = ContentVersion._meta.db_table
_RAISE = (
    f"INSERT INTO {COUNTER} (id, version) VALUES (1, 1) "
    f"ON CONFLICT (id) DO UPDATE SET version = {COUNTER}.version + 1"
)


def current_version(using=connection) -> int:
    """The current version; 0 until the first write creates the counter row."""
    with using.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {COUNTER} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def request_version(request) -> int:
    """The version a request works with: read once, by the page cache (which stores it
    on the request) or on first use here."""
    if getattr(request, "content_version", None) is None:
        request.content_version = current_version()
    return request.content_version


def current_version_checking_connection(using=connection) -> int:
    """current_version() as a request's first query, standing in for Django's connection
    health check (CONN_HEALTH_CHECKS): a page-cache hit then costs one round trip, not
    a SELECT 1 and then the version. A persistent connection that went away while idle
    fails here instead of in the health check, and is replaced the same way: closed, and
    the read retried once on a new connection."""
    if not using.health_check_enabled or using.health_check_done or using.connection is None:
        return current_version(using)
    using.health_check_done = True
    try:
        return current_version(using)
    except DatabaseError:
        if using.in_atomic_block:
            raise
        using.close()
        return current_version(using)


def install_triggers(using=connection) -> None:
    tables = [model._meta.db_table for model in WATCHED_MODELS]
    with using.cursor() as cursor:
        if using.vendor == "postgresql":
            _install_postgresql(cursor, tables)
        else:
            _install_sqlite(cursor, tables)


def _install_sqlite(cursor, tables) -> None:
    # SQLite has row triggers only; raising one row in the page cache is cheap.
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            cursor.execute(
                f'CREATE TRIGGER IF NOT EXISTS "content_version_{table}_{event.lower()}" '
                f'AFTER {event} ON "{table}" BEGIN {_RAISE}; END'
            )


def _install_postgresql(cursor, tables) -> None:
    # Statement triggers, and the counter raised once per transaction (a transaction-local
    # setting remembers it): every UPDATE of the same row within one transaction adds a
    # row version that the next one walks, so 100,000 single-row writes in one
    # transaction (a search index rebuild) would raise it 100,000 times, in quadratic time.
    cursor.execute(
        "CREATE OR REPLACE FUNCTION articles_raise_content_version() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF current_setting('newsroom.content_version_raised', true) = "
        "txid_current()::text THEN RETURN NULL; END IF; "
        "PERFORM set_config('newsroom.content_version_raised', txid_current()::text, true); "
        f"{_RAISE}; RETURN NULL; END $$"
    )
    for table in tables:
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER content_version AFTER INSERT OR UPDATE OR DELETE "
            f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT '
            "EXECUTE FUNCTION articles_raise_content_version()"
        )
