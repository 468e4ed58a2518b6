from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Redaktion"

    def ready(self):
        from articles import backup, checks  # noqa: F401  (loaddata receivers, deploy checks)
        from articles.cache import keys as cache_keys
        from articles.identity import checks as identity_checks  # noqa: F401  (Impressum)
        from articles.renditions import connect_signals
        from articles.search import signals  # noqa: F401  (connects the receivers)

        connect_signals()  # image uploads get their renditions made by the worker
        cache_keys.connect_receivers()  # loaded instances name their pages' cache keys

        post_migrate.connect(install_content_version_triggers, sender=self)


def install_content_version_triggers(sender, using, **kwargs):
    """After every migrate: SQLite drops a table's triggers when it rebuilds the table."""
    from articles.cache.triggers import COUNTER, KEYS, WATCHED_MODELS, install_triggers

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if {COUNTER, KEYS} <= tables and all(m._meta.db_table in tables for m in WATCHED_MODELS):
        install_triggers(connection)
