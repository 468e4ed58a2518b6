"""Writing the register into the database: an idempotent upsert keyed by the AGS.

Names, kinds, parents and population are the register's and follow it on a reload;
what editors add survives: their aliases stay, and entries of kind "other" (no AGS)
are never touched.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from articles.models import Municipality, MunicipalityAlias
from articles.register.entries import RegisterEntry, build_entries
from articles.register.gv100 import read_register
from articles.text import german_slugify, match_key

# Most prominent first, so that "muenster" goes to the city of 300,000.
KIND_ORDER = {
    Municipality.Kind.LAND: 0,
    Municipality.Kind.KREISFREIE_STADT: 1,
    Municipality.Kind.KREIS: 2,
    Municipality.Kind.STADT: 3,
    Municipality.Kind.GEMEINDE: 4,
    Municipality.Kind.REGIERUNGSBEZIRK: 5,
    Municipality.Kind.GEMEINDEVERBAND: 6,
}
KIND_SLUGS = {
    Municipality.Kind.KREISFREIE_STADT: "stadt",
    Municipality.Kind.STADT: "stadt",
    Municipality.Kind.GEMEINDE: "gemeinde",
    Municipality.Kind.KREIS: "kreis",
    Municipality.Kind.GEMEINDEVERBAND: "verband",
    Municipality.Kind.REGIERUNGSBEZIRK: "bezirk",
}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    aliases_created: int = 0


def load_register(path: Path) -> LoadResult:
    return save_entries(build_entries(read_register(path)))


def _slug_candidates(entry: RegisterEntry, names_by_key: dict[str, str]):
    base = german_slugify(entry.name)
    yield base
    if entry.kind in KIND_SLUGS:
        yield f"{base}-{KIND_SLUGS[entry.kind]}"
    if entry.parent_key in names_by_key:
        yield f"{base}-{german_slugify(names_by_key[entry.parent_key])}"
    yield f"{base}-{entry.key}"


@transaction.atomic
def save_entries(entries: list[RegisterEntry]) -> LoadResult:
    result = LoadResult()
    existing = {m.ags: m for m in Municipality.objects.exclude(ags="")}
    taken_slugs = set(Municipality.objects.values_list("slug", flat=True))
    names_by_key = {entry.key: entry.name for entry in entries}
    fields = ["name", "official_name", "kind", "population"]

    new, changed = [], []
    ordered = sorted(entries, key=lambda e: (KIND_ORDER[e.kind], -(e.population or 0), e.key))
    for entry in ordered:
        values = {
            "name": entry.name,
            "official_name": entry.official_name,
            "kind": entry.kind,
            "population": entry.population,
        }
        municipality = existing.get(entry.key)
        if municipality is None:
            slug = next(s for s in _slug_candidates(entry, names_by_key) if s not in taken_slugs)
            taken_slugs.add(slug)
            municipality = Municipality(ags=entry.key, slug=slug, **values)
            new.append(municipality)
            existing[entry.key] = municipality
        elif any(getattr(municipality, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(municipality, name, value)
            changed.append(municipality)
    Municipality.objects.bulk_create(new, batch_size=1000)
    Municipality.objects.bulk_update(changed, fields, batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    if new:
        _refresh_statistics()

    _link_parents(entries, existing)
    result.aliases_created = _add_aliases(entries, existing)
    return result


def _refresh_statistics() -> None:
    """Fresh planner statistics before the updates below: their cache-key triggers join
    the places with themselves, and a planner that still counts the table as empty (as
    it does after the rows were deleted and analysed) plans nested loops: 5 minutes for
    the whole register instead of seconds. ANALYZE counts this transaction's own rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Municipality._meta.db_table}")


def _link_parents(entries: list[RegisterEntry], by_key: dict[str, Municipality]) -> None:
    changed = []
    for entry in entries:
        municipality = by_key[entry.key]
        parent = by_key.get(entry.parent_key) if entry.parent_key else None
        land = by_key.get(entry.land_key)
        if municipality.parent_id != (parent and parent.pk) or municipality.land_id != land.pk:
            municipality.parent, municipality.land = parent, land
            changed.append(municipality)
    Municipality.objects.bulk_update(changed, ["parent", "land"], batch_size=1000)


def _add_aliases(entries: list[RegisterEntry], by_key: dict[str, Municipality]) -> int:
    present = set(MunicipalityAlias.objects.values_list("municipality_id", "key"))
    new = []
    for entry in entries:
        municipality_id = by_key[entry.key].pk
        for name in entry.aliases:
            key = match_key(name)
            if (municipality_id, key) not in present:
                present.add((municipality_id, key))
                new.append(MunicipalityAlias(municipality_id=municipality_id, name=name, key=key))
    MunicipalityAlias.objects.bulk_create(new, batch_size=2000)
    return len(new)
