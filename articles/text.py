"""Text helpers shared by models, importer and register: German slugs and match keys."""

import re
import unicodedata

from django.utils.text import slugify

_GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)

# Typographic variants that must not make two spellings of one headline differ.
_QUOTE_AND_DASH_FOLDING = str.maketrans(
    {
        "„": '"',
        "“": '"',
        "”": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‚": "'",
        "‘": "'",
        "’": "'",
        "‛": "'",
        "‹": "'",
        "›": "'",
        "´": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
    }
)
_WHITESPACE = re.compile(r"\s+")


def german_slugify(value: str) -> str:
    """Slug with German transliteration: "Bürgerservice für Görlitz" → buergerservice-….

    Django's slugify alone would drop the umlaut's "e" ("burgerservice-fur-gorlitz").
    """
    return slugify(str(value).translate(_GERMAN_TRANSLITERATION))


def collapse_whitespace(value: str) -> str:
    return _WHITESPACE.sub(" ", value).strip()


def match_key(value: str) -> str:
    """Comparison form of a name or headline: case, whitespace, quotes and dashes folded."""
    value = unicodedata.normalize("NFKC", value).translate(_QUOTE_AND_DASH_FOLDING)
    return collapse_whitespace(value).casefold()
