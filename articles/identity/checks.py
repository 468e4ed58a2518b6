"""A system check that warns while the Impressum lacks what the law requires.

It reads the database, so Django runs it only where a command asks for database checks
(`migrate`, and `check --database default`), not in a plain `check`."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def legal_details_are_filled_in(app_configs, databases=None, **kwargs):
    if not databases:
        return []
    from articles.identity.models import SiteIdentity

    try:
        missing = SiteIdentity.load().missing_fields
    except DatabaseError:  # before the first migrate: nothing to say yet
        return []
    if not missing:
        return []
    return [
        Warning(
            "The Impressum is incomplete (§ 5 DDG, § 18 Abs. 2 MStV); missing: "
            + ", ".join(missing)
            + ".",
            hint="Chefredaktion fills them in the admin under „Angaben zur Website“.",
            obj="articles.SiteIdentity",
            id="newsroom.W010",
        )
    ]
