"""Recognising municipalities by the names texts use.

A name can fit several entries: "Görlitz" is a town and a Landkreis, "Hamburg" a Land
and a city, "Münster" three Gemeinden. The rules, in order:

1. The type a text names decides: "Landkreis Görlitz" is an alias of the Landkreis only.
2. A bare name means the most general kind of place people mean by it: a Land before a
   city or Gemeinde, those before a Kreis, those before Regierungsbezirke and Verbände
   ("Görlitz" is the town; the Kreis is "Landkreis Görlitz").
3. Within that tier, population decides, but only clearly: the largest must have at
   least DOMINANCE times the runner-up's. Otherwise the name is ambiguous and nothing
   is linked ("precision first: no link on a guess").

Organisations (kind "other") are matched by their aliases like any other entry.
"""

from dataclasses import dataclass

from articles.models import Municipality, MunicipalityAlias
from articles.text import match_key

DOMINANCE = 3

TIERS = {
    Municipality.Kind.LAND: 0,
    Municipality.Kind.KREISFREIE_STADT: 1,
    Municipality.Kind.STADT: 1,
    Municipality.Kind.GEMEINDE: 1,
    Municipality.Kind.OTHER: 1,
    Municipality.Kind.KREIS: 2,
    Municipality.Kind.REGIERUNGSBEZIRK: 3,
    Municipality.Kind.GEMEINDEVERBAND: 3,
}


@dataclass(frozen=True, slots=True)
class Candidate:
    municipality_id: int
    kind: str
    population: int

    @property
    def tier(self) -> int:
        return TIERS[self.kind]


def choose(candidates: list[Candidate]) -> int | None:
    """The id the rules above pick among entries sharing one name, or None."""
    if not candidates:
        return None
    best_tier = min(c.tier for c in candidates)
    contenders = sorted((c for c in candidates if c.tier == best_tier), key=lambda c: -c.population)
    if len(contenders) > 1 and contenders[0].population < DOMINANCE * contenders[1].population:
        return None
    return contenders[0].municipality_id


class MunicipalityResolver:
    """All aliases in memory: built once per import, then a dictionary lookup per name."""

    def __init__(self, rows):
        by_key: dict[str, dict[int, Candidate]] = {}
        for key, municipality_id, kind, population in rows:
            by_key.setdefault(key, {})[municipality_id] = Candidate(
                municipality_id, kind, population or 0
            )
        self._ids = {key: choose(list(found.values())) for key, found in by_key.items()}

    @classmethod
    def from_database(cls) -> "MunicipalityResolver":
        rows = MunicipalityAlias.objects.values_list(
            "key", "municipality_id", "municipality__kind", "municipality__population"
        )
        names = Municipality.objects.values_list("name", "pk", "kind", "population")
        return cls([*rows, *((match_key(name), pk, kind, pop) for name, pk, kind, pop in names)])

    def resolve_id(self, name: str) -> int | None:
        return self._ids.get(match_key(name))

    def is_known(self, name: str) -> bool:
        """Whether the name is in the register at all, even if ambiguous."""
        return match_key(name) in self._ids

    def resolve(self, name: str) -> Municipality | None:
        municipality_id = self.resolve_id(name)
        return Municipality.objects.get(pk=municipality_id) if municipality_id else None
