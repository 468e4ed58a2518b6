"""The years and months of the archive's navigation, without reading the archive.

Django's date views list the periods with `SELECT DISTINCT` of every article's truncated
date (on SQLite a Python function per row): the whole archive on every view of
/archiv/. Here each period that may hold articles is probed for one article through
the publication-date index, all probes in one UNION ALL of LIMIT 1 branches: a few
dozen index seeks, whatever the archive holds.
"""

import datetime as dt

from django.db import connections
from django.utils import timezone


def _start_of(year: int, month: int = 1) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, 1), timezone.get_current_timezone())


def _periods_with_articles(queryset, periods: list[tuple[dt.datetime, dt.datetime]]):
    """The starts of those `periods` (start, end) in which `queryset` has an article."""
    if not periods:
        return []
    connection = connections[queryset.db]
    branches, params = [], []
    for index, (start, end) in enumerate(periods):
        # The first article from the period's start on, one seek in the date index; the
        # period has one if that is before its end. (With the end as a second upper
        # bound beside published()'s "until now", SQLite ranges up to now instead: a
        # scan of every later year.)
        first = (
            queryset.filter(published_at__gte=start)
            .order_by("published_at")
            .values("published_at")[:1]
        )
        sql, branch_params = first.query.get_compiler(using=first.db).as_sql()
        # Each LIMITed branch in a sub-SELECT of its own (SQLite refuses a LIMIT in a
        # compound member), tagged with its period's position.
        branches.append(
            f"SELECT {index} AS period FROM ({sql}) AS period_{index}"
            f" WHERE period_{index}.published_at < %s"
        )
        params.extend([*branch_params, connection.ops.adapt_datetimefield_value(end)])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        found = {row[0] for row in cursor.fetchall()}
    return [periods[index][0] for index in sorted(found)]


def years_with_articles(queryset, ordering: str = "ASC") -> list[dt.datetime]:
    """The years (their first moment, in the current time zone) in which `queryset` has
    an article: the oldest article's year (one index seek) to this year, probed."""
    oldest = queryset.order_by("published_at").values_list("published_at", flat=True).first()
    if oldest is None:
        return []
    first = timezone.localtime(oldest).year
    last = max(first, timezone.localdate().year)
    periods = [(_start_of(year), _start_of(year + 1)) for year in range(first, last + 1)]
    years = _periods_with_articles(queryset, periods)
    return years[::-1] if ordering == "DESC" else years


def months_with_articles(queryset, year: int, ordering: str = "ASC") -> list[dt.datetime]:
    """The months of `year` in which `queryset` has an article (one query)."""
    periods = [
        (_start_of(year, month), _start_of(year + month // 12, month % 12 + 1))
        for month in range(1, 13)
    ]
    months = _periods_with_articles(queryset, periods)
    return months[::-1] if ordering == "DESC" else months
