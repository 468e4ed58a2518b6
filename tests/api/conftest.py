import pytest
from django.conf import settings
from django.core.cache import caches


@pytest.fixture
def api(client):
    """GETs under /api/v1/ by their path, each one after a fresh page cache."""

    def get(path, **headers):
        caches[settings.PAGE_CACHE_ALIAS].clear()
        return client.get(f"/api/v1/{path}", headers=headers)

    return get
