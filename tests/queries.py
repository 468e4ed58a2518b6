"""Counting the queries a page costs to render."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.cache.per_version import forget_all


@contextmanager
def queries_from_cold():
    """Capture the queries of the block, with nothing kept per content version.

    Pages read the identity, the navigation and the authors once per content version
    (articles.cache.per_version). A test's writes on PostgreSQL all share one version (the
    trigger raises it once per transaction), so a second render inside the same test would
    count fewer queries than the first; comparing two cold renders compares like with like.
    """
    forget_all()
    with CaptureQueriesContext(connection) as captured:
        yield captured
