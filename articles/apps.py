from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Redaktion"

    def ready(self):
        from articles.search import signals  # noqa: F401  (connects the receivers)
