"""The cache of a machine without Redis: diskcache's Django backend, shared by the
machine's app server processes through its folder (settings.CACHES)."""

from diskcache import DjangoCache


class MachineCache(DjangoCache):
    """diskcache's Django backend with its database connection kept across requests.

    Django closes every cache when a request ends (django.core.cache.close_caches), as
    a memcached client should let go of its sockets; diskcache then closes its SQLite
    connection and, on the next request, opens another and sets its pragmas again: half
    of a page-cache hit's time. The connection is the process's own (diskcache opens one
    per thread, after the server forked), like the Redis backend's pool.
    """

    def close(self, **kwargs):
        """Kept open: see the class. The process's exit closes it."""
