"""The database triggers behind the page cache and the HTTP caches in front of it.

Every write to a table of public content raises the content version and records, per
affected row, which cache keys (articles.cache.keys) the change makes stale, as
articles_cachekey rows set to the new version. Triggers, not Django signals: admin
actions, merges and the import write with QuerySet.update() and bulk_create(), which
send no signals, and a trigger also sees a raw UPDATE or a restore. The rows are written
in the transaction of the change, so no reader sees new keys before the new content.

Which keys a row change affects is said once, below, as SQL over the changed rows:
SQLite runs it in row triggers over NEW and OLD, PostgreSQL in statement triggers over
their transition tables (one statement for a bulk update of 100,000 rows). The
triggers are (re)installed after every migrate, idempotently: SQLite rebuilds a table
on many schema changes and drops the table's triggers with it.
"""

from django.db import connection

from articles.cache import keys
from articles.cache.content_version import COUNTER, KEYS
from articles.models import (
    Article,
    ArticleLink,
    Author,
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

PLACES = Municipality._meta.db_table
TAGGINGS = TaggedArticle._meta.db_table
FILINGS = Article.municipalities.through._meta.db_table

# A missing counter row (a new or flushed database) starts above the newest key.
_RAISE = (
    f"INSERT INTO {COUNTER} (id, version) "
    f"VALUES (1, (SELECT COALESCE(MAX(version), 0) + 1 FROM {KEYS})) "
    f"ON CONFLICT (id) DO UPDATE SET version = {COUNTER}.version + 1"
)

# What an article row's change must match to make its pages stale: everything a page
# shows of it (not the search index, nor the import's bookkeeping) ...
_NOT_SHOWN = {"search_vector", "edited_fields", "duplicate_key"}
_SHOWN = [f.column for f in Article._meta.concrete_fields if f.column not in _NOT_SHOWN]
# ... and, to make the lists that hold it stale, what decides where it is listed.
_LISTED_BY = ["status", "published_at", "section_id", "teaser_only", "kind"]


def _lit(key: str) -> str:
    return f"CAST('{key}' AS TEXT)"


def _place_lists(ids: str) -> str:
    """The list keys of the places `ids` (a SELECT of ids) and of the places above them,
    whose lists show what is below (Article.objects.about_place)."""
    above = f"{PLACES} c WHERE c.id IN ({ids})"
    return f"""
        SELECT 'lp' || c.id AS k FROM {above}
        UNION SELECT 'lp' || c.parent_id FROM {above} AND c.parent_id IS NOT NULL
        UNION SELECT 'lp' || p.parent_id FROM {PLACES} p
            JOIN {PLACES} c ON c.parent_id = p.id
            WHERE c.id IN ({ids}) AND p.parent_id IS NOT NULL
        UNION SELECT 'lp' || c.land_id FROM {above} AND c.land_id IS NOT NULL
        UNION SELECT 'lp' || r.id FROM {PLACES} r
            JOIN {PLACES} c ON r.ags = substr(c.ags, 1, 3)
            WHERE c.id IN ({ids}) AND length(c.ags) > 3 AND r.ags <> ''
            AND r.kind = '{Municipality.Kind.REGIERUNGSBEZIRK}'"""


def _article_lists(rows: str) -> str:
    """The lists that hold the articles `rows` (with id and section_id)."""
    filed = f"SELECT f.municipality_id FROM {FILINGS} f JOIN {rows} x ON f.article_id = x.id"
    return f"""
        SELECT {_lit(keys.ALL_LISTS)} AS k FROM {rows} x
        UNION SELECT {_lit(keys.ANY_ARTICLE)} FROM {rows} x
        UNION SELECT 'ls' || x.section_id FROM {rows} x WHERE x.section_id IS NOT NULL
        UNION SELECT 'lt' || t.tag_id FROM {TAGGINGS} t JOIN {rows} x
            ON t.content_object_id = x.id
        UNION {_place_lists(filed)}"""


def _each(expression: str):
    """A key per changed row: `expression` over the row `r`."""
    return lambda rows: f"SELECT {expression} AS k FROM {rows} r"


def _constant(key: str):
    return _each(_lit(key))


def _of_article(column: str):
    return lambda rows: (
        f"SELECT 'a' || r.{column} AS k FROM {rows} r "
        f"UNION SELECT {_lit(keys.ANY_ARTICLE)} FROM {rows} r"
    )


# Per table: what any inserted, deleted, or updated (old and new) row makes stale.
RULES = {
    Article: [_each("'a' || r.id"), _article_lists],
    ArticleLink: [_of_article("article_id")],
    Correction: [_of_article("article_id")],
    SlugRedirect: [_of_article("article_id")],
    TaggedArticle: [
        _of_article("content_object_id"),
        _each("'lt' || r.tag_id"),
        _constant(keys.COUNTS),
    ],
    Article.municipalities.through: [
        _of_article("article_id"),
        _constant(keys.COUNTS),
        lambda rows: _place_lists(f"SELECT r.municipality_id FROM {rows} r"),
    ],
    Tag: [_each("'t' || r.id"), _constant(keys.ANY_TAG), _constant(keys.ALL_LISTS)],
    TagAlias: [_each("'t' || r.tag_id"), _constant(keys.ANY_TAG)],
    TagRedirect: [_each("'t' || r.tag_id"), _constant(keys.ANY_TAG)],
    Municipality: [
        _each("'p' || r.id"),
        _constant(keys.ANY_PLACE),
        _constant(keys.ALL_LISTS),
        lambda rows: _place_lists(f"SELECT r.id FROM {rows} r"),
    ],
    MunicipalityAlias: [_each("'p' || r.municipality_id"), _constant(keys.ANY_PLACE)],
    Author: [_constant(keys.AUTHORS)],
    Vendor: [_constant(keys.VENDORS)],
    VendorAlias: [_constant(keys.VENDORS)],
    Section: [_constant(keys.SITE)],
    SiteIdentity: [_constant(keys.SITE)],
}
WATCHED_MODELS = tuple(RULES)


def _changed(new: str, old: str, columns, distinct: str) -> str:
    differs = " OR ".join(f"n.{c} {distinct} o.{c}" for c in columns)
    return f"(SELECT n.* FROM {new} n JOIN {old} o ON o.id = n.id WHERE {differs})"


def _article_update(new: str, old: str, distinct: str) -> list[str]:
    """An article's update is narrower than its insert: its pages when what they show
    changed, its lists when where it is listed changed (before and after)."""
    shown = _changed(new, old, _SHOWN, distinct)
    moved = _changed(new, old, _LISTED_BY, distinct)
    moved_from = _changed(old, new, _LISTED_BY, distinct)
    return [
        f"SELECT 'a' || r.id AS k FROM {shown} r",
        f"SELECT {_lit(keys.ANY_ARTICLE)} FROM {shown} r",
        _article_lists(moved),
        _article_lists(moved_from),
    ]


def key_queries(model, event: str, new: str, old: str, distinct: str) -> list[str]:
    if model is Article and event == "UPDATE":
        return _article_update(new, old, distinct)
    sides = {"INSERT": [new], "DELETE": [old], "UPDATE": [new, old]}[event]
    return [rule(rows) for rule in RULES[model] for rows in sides]


def _record(select_version: str, queries: list[str]) -> str:
    union = "\nUNION ".join(queries)
    return (
        f"INSERT INTO {KEYS} (key, version) SELECT DISTINCT k, {select_version} "
        f"FROM ({union}) changed WHERE k IS NOT NULL "
        "ON CONFLICT (key) DO UPDATE SET version = excluded.version"
    )


def install_triggers(using=connection) -> None:
    with using.cursor() as cursor:
        if using.vendor == "postgresql":
            _install_postgresql(cursor)
        else:
            _install_sqlite(cursor)


def _install_sqlite(cursor) -> None:
    # Row triggers over NEW and OLD, each row read as a one-row table.
    for model in WATCHED_MODELS:
        table = model._meta.db_table
        columns = [f.column for f in model._meta.concrete_fields]
        new = "(SELECT " + ", ".join(f"NEW.{c} AS {c}" for c in columns) + ")"
        old = "(SELECT " + ", ".join(f"OLD.{c} AS {c}" for c in columns) + ")"
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"content_version_{table}_{event.lower()}"
            record = _record(
                f"(SELECT version FROM {COUNTER} WHERE id = 1)",
                key_queries(model, event, new, old, "IS NOT"),
            )
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            cursor.execute(
                f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" BEGIN {_RAISE}; {record}; END'
            )


def _install_postgresql(cursor) -> None:
    # The counter is raised once per transaction (a transaction-local setting remembers
    # it): every UPDATE of the same row within one transaction adds a row version that
    # the next one walks, so 100,000 single-row writes in one transaction (a search
    # index rebuild) would raise it 100,000 times, in quadratic time.
    cursor.execute(
        "CREATE OR REPLACE FUNCTION articles_content_version() RETURNS bigint "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF current_setting('newsroom.content_version_raised', true) IS DISTINCT FROM "
        "txid_current()::text THEN "
        "PERFORM set_config('newsroom.content_version_raised', txid_current()::text, true); "
        f"{_RAISE}; END IF; "
        f"RETURN (SELECT version FROM {COUNTER} WHERE id = 1); END $$"
    )
    cursor.execute(
        "CREATE OR REPLACE FUNCTION articles_raise_content_version() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN PERFORM articles_content_version(); RETURN NULL; END $$"
    )
    # A TRUNCATE names no rows: it makes every page stale.
    cursor.execute(
        "CREATE OR REPLACE FUNCTION articles_cache_keys_truncate() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"{_record('articles_content_version()', [f'SELECT {_lit(keys.SITE)} AS k'])}; "
        "RETURN NULL; END $$"
    )
    transition = {
        "INSERT": "REFERENCING NEW TABLE AS new_rows",
        "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "REFERENCING OLD TABLE AS old_rows",
    }
    for model in WATCHED_MODELS:
        table = model._meta.db_table
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER content_version AFTER INSERT OR UPDATE OR DELETE "
            f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT '
            "EXECUTE FUNCTION articles_raise_content_version()"
        )
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER cache_keys_truncate AFTER TRUNCATE "
            f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION articles_cache_keys_truncate()'
        )
        for event, referencing in transition.items():
            function = f"articles_cache_keys_{table}_{event.lower()}"
            record = _record(
                "v", key_queries(model, event, "new_rows", "old_rows", "IS DISTINCT FROM")
            )
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ DECLARE v bigint; BEGIN "
                f"v := articles_content_version(); {record}; RETURN NULL; END $$"
            )
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER cache_keys_{event.lower()} AFTER {event} "
                f'ON "{table}" {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()'
            )
