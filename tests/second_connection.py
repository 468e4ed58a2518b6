"""A write through a connection of its own, as another app server's would be."""

from django.db import OperationalError, connections


def edit_from_another_connection(article_pk) -> str:
    """An editor's correction of an article's lead, committed through a second
    connection: "written", or "blocked" if the database makes it wait for another
    transaction (PostgreSQL: a row lock; SQLite: the write lock)."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            if other.vendor == "postgresql":
                cursor.execute("SET lock_timeout = '200ms'")
            cursor.execute(
                "UPDATE articles_article SET lead = %s, edited_fields = %s WHERE id = %s",
                ["Von Hand korrigiert.", '["lead"]', article_pk],
            )
        return "written"
    except OperationalError:
        return "blocked"
    finally:
        other.close()
