"""How German names the register's places: article, preposition, reader's label.

Pure functions of a place's kind, name, official name and key (no database), so that
they apply to Municipality rows and to register entries alike. The rules follow the
names the register yields (articles/register/entries.py):

- Länder go without article ("aus Thüringen", "aus Hamburg"), except "das Saarland".
- Regierungsbezirke: "der Regierungsbezirk Arnsberg"; the Bavarian ones by their bare
  names ("aus Oberbayern"), except "die Oberpfalz".
- Kreise: "der Landkreis Harburg", "der Kreis Unna", "der Kyffhäuserkreis", "der
  Märkische Kreis" (its adjective declined: "aus dem Märkischen Kreis"), "der
  Regionalverband Saarbrücken"; but "die Region Hannover", "die Städteregion Aachen".
- Städte, also kreisfreie: "die Stadt Ulm"; Gemeinden: "die Gemeinde Holzwickede",
  or as the register designates them "der Markt Holzkirchen", "der Flecken Aerzen".
- Gemeindeverbände by their word: "das Amt …", "die Samtgemeinde …", "der GVV …".
- Organisations (kind "other") by their bare name, and "zu" rather than "aus".
"""

import re
from dataclasses import dataclass

# Kinds, as values of Municipality.Kind (strings: this module knows no Django).
LAND = "land"
REGIERUNGSBEZIRK = "regierungsbezirk"
KREIS = "kreis"
KREISFREIE_STADT = "kreisfreie_stadt"
STADT = "stadt"
GEMEINDE = "gemeinde"
GEMEINDEVERBAND = "gemeindeverband"
OTHER = "other"

MASCULINE, FEMININE, NEUTER = "m", "f", "n"

# The definite article by case and gender; None: the name goes without one.
_ARTICLES = {
    "dativ": {MASCULINE: "dem", FEMININE: "der", NEUTER: "dem"},
    "akkusativ": {MASCULINE: "den", FEMININE: "die", NEUTER: "das"},
}
# Preposition -> (case, contractions of preposition and article).
_PREPOSITIONS = {
    "aus": ("dativ", {}),
    "in": ("dativ", {"dem": "im"}),
    "zu": ("dativ", {"dem": "zum", "der": "zur"}),
    "über": ("akkusativ", {}),
    "für": ("akkusativ", {}),
}

FREISTAATEN = {"Bayern", "Sachsen", "Thüringen"}
STADTSTAATEN = {"Berlin", "Hamburg", "Bremen"}
LAENDER_WITH_ARTICLE = {"Saarland": NEUTER}
REGIERUNGSBEZIRKE_WITH_ARTICLE = {"Oberpfalz": FEMININE}
# Länder whose Kreise the register calls "Kreis" (Textkennzeichen 43), not "Landkreis"
# (44): Schleswig-Holstein and Nordrhein-Westfalen.
KREIS_LAENDER = {"01", "05"}

# A Kreis name's first word decides label and gender where it names its type.
_KREIS_WORDS = {
    "Landkreis": ("Landkreis", MASCULINE),
    "Kreis": ("Kreis", MASCULINE),
    "Region": ("Region", FEMININE),
    "Städteregion": ("Städteregion", FEMININE),
    "Regionalverband": ("Regionalverband", MASCULINE),
}
# A Gemeindeverband's name names its type in some word ("Altes Amt Lemförde").
_VERBAND_WORDS = {
    "Amt": ("Amt", NEUTER),
    "Samtgemeinde": ("Samtgemeinde", FEMININE),
    "Verbandsgemeinde": ("Verbandsgemeinde", FEMININE),
    "VG": ("Verwaltungsgemeinschaft", FEMININE),
    "Verwaltungsgemeinschaft": ("Verwaltungsgemeinschaft", FEMININE),
    "VVG": ("Vereinbarte Verwaltungsgemeinschaft", FEMININE),
    "GVV": ("Gemeindeverwaltungsverband", MASCULINE),
    "Verwaltungsverband": ("Verwaltungsverband", MASCULINE),
    "Kirchspielslandgemeinde": ("Kirchspielslandgemeinde", FEMININE),
}
_VERBAND_WORD = re.compile(r"(?:^|[\s-])(" + "|".join(_VERBAND_WORDS) + r")\b")
# How a Gemeinde's designation in the register ("Holzkirchen, M") is spoken.
_GEMEINDE_DESIGNATIONS = {
    "M": ("Markt", MASCULINE),
    "Markt": ("Markt", MASCULINE),
    "Marktgemeinde": ("Marktgemeinde", FEMININE),
    "Marktflecken": ("Marktflecken", MASCULINE),
    "Flecken": ("Flecken", MASCULINE),
}
# A leading adjective in its strong form: "Märkischer Kreis", "Altes Amt Lemförde".
_ADJECTIVE = re.compile(r"^(?P<stem>\S*[a-zäöü])(?P<ending>er|es) (?P<rest>(?:Kreis|Amt)\b.*)$")


@dataclass(frozen=True, slots=True)
class NounPhrase:
    """A place as a German noun phrase: the words and their gender, if any article."""

    words: str
    gender: str | None  # None: no article ("Thüringen", "Oberbayern", "Dataport")
    label: str  # what kind of place it is, for readers ("Landkreis", "Freistaat")


def _designations(official_name: str) -> list[str]:
    return [part.strip() for part in official_name.split(",")[1:] if part.strip()]


def noun_phrase(kind: str, name: str, official_name: str = "", key: str = "") -> NounPhrase:
    """The place `name` of `kind` as German speaks of it (see the module's rules)."""
    if kind == LAND:
        if name in FREISTAATEN:
            label = "Freistaat"
        elif name in STADTSTAATEN:
            label = "Stadtstaat"
        else:
            label = "Land"
        return NounPhrase(name, LAENDER_WITH_ARTICLE.get(name), label)
    if kind == REGIERUNGSBEZIRK:
        if name.startswith("Regierungsbezirk "):
            return NounPhrase(name, MASCULINE, "Regierungsbezirk")
        return NounPhrase(name, REGIERUNGSBEZIRKE_WITH_ARTICLE.get(name), "Regierungsbezirk")
    if kind == KREIS:
        first = name.split(" ", 1)[0]
        if first in _KREIS_WORDS:
            label, gender = _KREIS_WORDS[first]
            return NounPhrase(name, gender, label)
        # "Kyffhäuserkreis", "Märkischer Kreis", "Rhein-Kreis Neuss": the Land says which.
        label = "Kreis" if key[:2] in KREIS_LAENDER else "Landkreis"
        return NounPhrase(name, MASCULINE, label)
    if kind == KREISFREIE_STADT:
        label = "Stadtkreis" if key[:2] == "08" else "Kreisfreie Stadt"
        return NounPhrase(f"Stadt {name}", FEMININE, label)
    if kind == STADT:
        return NounPhrase(f"Stadt {name}", FEMININE, "Stadt")
    if kind == GEMEINDE:
        for designation in _designations(official_name):
            if designation in _GEMEINDE_DESIGNATIONS:
                word, gender = _GEMEINDE_DESIGNATIONS[designation]
                return NounPhrase(f"{word} {name}", gender, word)
        return NounPhrase(f"Gemeinde {name}", FEMININE, "Gemeinde")
    if kind == GEMEINDEVERBAND:
        match = _VERBAND_WORD.search(name)
        if match:
            label, gender = _VERBAND_WORDS[match[1]]
            return NounPhrase(name, gender, label)
        return NounPhrase(name, MASCULINE, "Gemeindeverband")
    return NounPhrase(name, None, "Organisation")


def _declined(words: str, gender: str, case: str) -> str:
    """A leading adjective after the definite article: "dem Märkischen Kreis"."""
    match = _ADJECTIVE.match(words)
    if match is None:
        return words
    weak = "e" if case == "akkusativ" and gender == NEUTER else "en"
    return f"{match['stem']}{weak} {match['rest']}"


def with_preposition(preposition: str, phrase: NounPhrase) -> str:
    """ "aus" + der Kyffhäuserkreis -> "aus dem Kyffhäuserkreis"; "in" -> "im …"."""
    case, contractions = _PREPOSITIONS[preposition]
    if phrase.gender is None:
        return f"{preposition} {phrase.words}"
    article = _ARTICLES[case][phrase.gender]
    words = _declined(phrase.words, phrase.gender, case)
    if article in contractions:
        return f"{contractions[article]} {words}"
    return f"{preposition} {article} {words}"


def place_phrase(preposition: str, place) -> str:
    """`preposition` with `place` (anything with kind, name, official_name and ags)."""
    return with_preposition(preposition, phrase_of(place))


def phrase_of(place) -> NounPhrase:
    return noun_phrase(
        place.kind, place.name, getattr(place, "official_name", ""), getattr(place, "ags", "")
    )


def news_from(place) -> str:
    """What a heading puts after "Nachrichten"/"Mehr": "aus dem Kyffhäuserkreis",
    "aus Thüringen"; an organisation is no place news come from: "zu Dataport"."""
    return place_phrase("zu" if place.kind == OTHER else "aus", place)


def kind_label(place) -> str:
    """The reader's word for the kind of place: "Landkreis", "Freistaat", "Markt"."""
    return phrase_of(place).label
