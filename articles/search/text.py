"""German text for search, the same on both databases: folding, stemming, query terms.

Folding follows PostgreSQL's unaccent (ä→a, ß→ss, é→e), so that "Gorlitz" finds
"Görlitz". Texts and queries that spell umlauts as "oe", "ae", "ue" ("goerlitz") are
handled on the query side: such a word is also searched with the umlaut put back.
Stemming is Snowball's German stemmer, the one PostgreSQL's german configuration uses.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10

_WORD = re.compile(r"[^\W_]+")
# A query word, hyphenated parts included ("Wahl-O-Mat", "E-Akte").
_QUERY_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_FOLDING = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o"})
_DIGRAPHS = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"))
_stemmer = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """Lower case without accents or umlauts: what unaccent + lower make of a word."""
    text = text.casefold().translate(_FOLDING)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def stem(folded_word: str) -> str:
    return _stemmer.stemWord(folded_word)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=200_000)
def _index_term(word: str) -> str:
    return stem(fold(word))


def index_terms(text: str) -> str:
    """The stems of a text, space-separated: the document side of the SQLite index."""
    return " ".join(map(_index_term, words(text)))


def _with_umlauts(word: str) -> str:
    for digraph, umlaut in _DIGRAPHS:
        word = word.replace(digraph, umlaut)
    return word


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: its parts (hyphenated words have several), each with the
    spellings to try; the last word of a query also matches as a prefix."""

    text: str
    parts: tuple[tuple[str, ...], ...]
    prefix: bool = False


def parse_query(query: str) -> list[QueryWord]:
    """The searchable words of whatever a reader typed; operators and markup drop out."""
    raw_words = _QUERY_WORD.findall(query[:MAX_QUERY_LENGTH])[:MAX_QUERY_WORDS]
    parsed = []
    for position, raw in enumerate(raw_words):
        parts = []
        for part in raw.split("-"):
            lowered = part.casefold()
            spellings = dict.fromkeys([fold(lowered), fold(_with_umlauts(lowered))])
            parts.append(tuple(spellings))
        is_last = position == len(raw_words) - 1
        parsed.append(QueryWord(raw, tuple(parts), prefix=is_last))
    return parsed


def query_stems(query_words: list[QueryWord]) -> tuple[set[str], set[str]]:
    """Stems that match exactly, and folded beginnings that match as prefixes."""
    exact, prefixes = set(), set()
    for word in query_words:
        for spellings in word.parts:
            exact.update(stem(spelling) for spelling in spellings)
        if word.prefix:
            prefixes.update(word.parts[-1])
    return exact, prefixes
