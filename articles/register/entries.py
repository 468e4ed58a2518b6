"""From register records to the municipalities we keep: names texts use, kinds, parents.

Pure functions: no database. The register lists some places twice (a kreisfreie Stadt
is a Kreis record and a Gemeinde record; Berlin and Hamburg are also Länder) and lists
things that are not places news is about (gemeindefreie Gebiete, statistical regions);
this module decides what becomes one Municipality row and under which names.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from articles.register import gv100

# Kinds, as values of Municipality.Kind (kept as strings: this module knows no Django).
LAND = "land"
REGIERUNGSBEZIRK = "regierungsbezirk"
KREIS = "kreis"
KREISFREIE_STADT = "kreisfreie_stadt"
STADT = "stadt"
GEMEINDE = "gemeinde"
GEMEINDEVERBAND = "gemeindeverband"

KREIS_KINDS = {
    "41": KREISFREIE_STADT,
    "42": KREISFREIE_STADT,
    "43": KREIS,
    "44": KREIS,
    "45": KREIS,
}
# 50 (verbandsfreie Gemeinde) and 58 (erfüllende Gemeinde) only repeat a Gemeinde.
VERBAND_WORDS = {
    "51": "Amt",
    "52": "Samtgemeinde",
    "53": "Verbandsgemeinde",
    "54": "Verwaltungsgemeinschaft",
    "55": "Kirchspielslandgemeinde",
    "56": "Verwaltungsverband",
}
# 61/62 (kreisfreie Stadt, Stadtkreis) are merged into their Kreis record;
# 65/66 (gemeindefreie Gebiete: forests, lakes) are no municipality.
GEMEINDE_KINDS = {"60": GEMEINDE, "63": STADT, "64": GEMEINDE, "67": STADT}
MERGED_GEMEINDE_CODES = {"61", "62"}

# How register designations after the comma ("Unna, Stadt") are spoken in texts.
DESIGNATION_WORDS = {
    "St": "Stadt",
    "M": "Markt",
    "GKSt": "Große Kreisstadt",
    "Stadtkreis": "Stadt",
    "kreisfreie Stadt": "Stadt",
}

LAND_ALIASES = {
    "Bayern": ["Freistaat Bayern"],
    "Sachsen": ["Freistaat Sachsen"],
    "Thüringen": ["Freistaat Thüringen"],
    "Nordrhein-Westfalen": ["NRW"],
    "Hamburg": ["Freie und Hansestadt Hamburg", "Stadt Hamburg", "Hansestadt Hamburg"],
    "Bremen": ["Freie Hansestadt Bremen"],
    "Berlin": ["Stadt Berlin"],
}

_SHORT_FORM = re.compile(
    r"""^(?P<short>.+?)\s*(?:
        \(.*\)                                              # Halle (Saale)
      | \s(?:am|an\ der|an|im|in\ der|in|bei|ob\ der|vor\ der|auf\ der)\s.+   # Frankfurt am Main
      | \s(?:a|b|i|v|o)\.\s?.+                              # Neufahrn b.Freising
      | /.+                                                 # Schwarzenberg/Erzgeb.
    )$""",
    re.VERBOSE,
)
_REG_BEZ_PREFIX = re.compile(r"^Reg\.-Bez\.\s*")
_KREIS_LIKE = re.compile(r"kreis|^region|^städteregion|^regionalverband", re.IGNORECASE)
_VERBAND_LIKE = re.compile(
    r"\b(amt|samtgemeinde|verbandsgemeinde|verwaltungsgemeinschaft|verwaltungsverband|"
    r"kirchspielslandgemeinde|vg|vvg|gvv)\b",
    re.IGNORECASE,
)


@dataclass
class RegisterEntry:
    key: str
    name: str
    official_name: str
    kind: str
    parent_key: str | None
    land_key: str
    population: int | None = None
    aliases: list[str] = field(default_factory=list)

    def add_aliases(self, *names: str) -> None:
        for name in names:
            if name and name not in self.aliases:
                self.aliases.append(name)


def split_official_name(official: str) -> tuple[str, list[str]]:
    """'Görlitz, Stadt, Hochschulstadt' -> ('Görlitz', ['Stadt', 'Hochschulstadt'])."""
    base, *designations = [part.strip() for part in official.split(",")]
    return base, [DESIGNATION_WORDS.get(d, d) for d in designations if d]


def short_forms(base: str) -> list[str]:
    """The name without its qualifier: 'Frankfurt am Main' is also 'Frankfurt'."""
    match = _SHORT_FORM.match(base)
    return [match["short"].strip()] if match and match["short"].strip() else []


def kreis_display_name(base: str, text_code: str) -> str:
    if _KREIS_LIKE.search(base):
        return base
    return f"Landkreis {base}" if text_code == "44" else f"Kreis {base}"


def _land_entry(record: gv100.RegisterRecord) -> RegisterEntry:
    entry = RegisterEntry(record.key, record.name, record.name, LAND, None, record.land)
    entry.add_aliases(record.name, f"Land {record.name}", *LAND_ALIASES.get(record.name, []))
    return entry


def _regierungsbezirk_entry(record: gv100.RegisterRecord) -> RegisterEntry | None:
    if record.name.startswith(("früher:", "Statistische Region")):
        return None  # historical or statistical only: no news is filed under them
    base = _REG_BEZ_PREFIX.sub("", record.name)
    name = f"Regierungsbezirk {base}" if base != record.name else base
    entry = RegisterEntry(record.key, name, record.name, REGIERUNGSBEZIRK, record.land, record.land)
    entry.add_aliases(name, base, f"Regierungsbezirk {base}")
    return entry


def _kreis_entry(record: gv100.RegisterRecord) -> RegisterEntry:
    kind = KREIS_KINDS.get(record.text_code, KREIS)
    base, designations = split_official_name(record.name)
    if kind == KREISFREIE_STADT:
        entry = RegisterEntry(record.key, base, record.name, kind, record.land, record.land)
        entry.add_aliases(base, *short_forms(base), f"Stadt {base}")
        entry.add_aliases(*(f"{word} {base}" for word in designations))
        return entry
    name = kreis_display_name(base, record.text_code)
    entry = RegisterEntry(record.key, name, record.name, kind, record.land, record.land)
    entry.add_aliases(name, base, *short_forms(base))
    if not _KREIS_LIKE.search(base):
        # Texts say "Kreis Leer" of a Landkreis and "Landkreis Unna" of a Kreis.
        entry.add_aliases(f"Kreis {base}", f"Landkreis {base}")
    return entry


def _verband_entry(record: gv100.RegisterRecord) -> RegisterEntry | None:
    word = VERBAND_WORDS.get(record.text_code)
    if word is None:
        return None
    base, _ = split_official_name(record.name)
    name = base if _VERBAND_LIKE.search(base) else f"{word} {base}"
    entry = RegisterEntry(
        record.key, name, record.name, GEMEINDEVERBAND, record.kreis_key, record.land
    )
    entry.add_aliases(name, base)
    return entry


def _gemeinde_entry(record: gv100.RegisterRecord) -> RegisterEntry | None:
    kind = GEMEINDE_KINDS.get(record.text_code)
    if kind is None:
        return None
    base, designations = split_official_name(record.name)
    entry = RegisterEntry(
        record.key, base, record.name, kind, record.kreis_key, record.land, record.population
    )
    entry.add_aliases(base, *short_forms(base))
    entry.add_aliases(*(f"{word} {base}" for word in designations))
    entry.add_aliases(f"Stadt {base}" if kind == STADT else f"Gemeinde {base}")
    return entry


def build_entries(records: Iterable[gv100.RegisterRecord]) -> list[RegisterEntry]:
    """The municipalities the register yields, parents before children."""
    entries: dict[str, RegisterEntry] = {}
    population_of_kreis: dict[str, int] = defaultdict(int)
    population_of_verband: dict[str, int] = defaultdict(int)
    kreise_per_land: dict[str, list[str]] = defaultdict(list)

    for record in records:
        entry = None
        if record.record_type == gv100.LAND:
            entry = _land_entry(record)
        elif record.record_type == gv100.REGIERUNGSBEZIRK:
            entry = _regierungsbezirk_entry(record)
        elif record.record_type == gv100.KREIS:
            entry = _kreis_entry(record)
            kreise_per_land[record.land].append(entry.key)
        elif record.record_type == gv100.GEMEINDEVERBAND:
            entry = _verband_entry(record)
        elif record.record_type == gv100.GEMEINDE:
            population = record.population or 0
            population_of_kreis[record.kreis_key] += population
            population_of_verband[record.kreis_key + record.verband] += population
            if record.text_code not in MERGED_GEMEINDE_CODES:
                entry = _gemeinde_entry(record)
        if entry is not None:
            entries[entry.key] = entry

    for entry in entries.values():
        if entry.kind in {KREIS, KREISFREIE_STADT}:
            entry.population = population_of_kreis[entry.key]
        elif entry.kind == GEMEINDEVERBAND:
            entry.population = population_of_verband[entry.key]
    for entry in list(entries.values()):
        if entry.kind in {LAND, REGIERUNGSBEZIRK}:
            entry.population = sum(
                population
                for kreis_key, population in population_of_kreis.items()
                if kreis_key.startswith(entry.key)
            )
    _fold_city_states(entries, kreise_per_land)
    for entry in entries.values():
        if entry.parent_key is not None and entry.parent_key not in entries:
            entry.parent_key = entry.land_key  # e.g. a Kreis under a skipped historical RB
    return sorted(entries.values(), key=lambda e: (len(e.key), e.key))


def _fold_city_states(entries: dict[str, RegisterEntry], kreise_per_land) -> None:
    """Berlin and Hamburg are a Land and one city: keep the Land, under both names."""
    for land_key, kreis_keys in kreise_per_land.items():
        land = entries.get(land_key)
        if land is None or len(kreis_keys) != 1:
            continue
        city = entries.get(kreis_keys[0])
        if city is not None and city.kind == KREISFREIE_STADT and city.name == land.name:
            land.add_aliases(*city.aliases)
            del entries[city.key]
