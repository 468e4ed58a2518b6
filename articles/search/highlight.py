"""Result snippets with the matched words marked; the text is escaped before marking.

Done in Python for both databases so that the result page looks the same everywhere
and no imported markup or query text can reach the page unescaped.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.search.text import fold, stem

SNIPPET_WORDS = 40
_TOKEN = re.compile(r"[^\W_]+|[\W_]+")


class Highlighter:
    """Snippets for the results of one query. Words are compared up to the first match
    and within the window only, and each distinct word once for all the results:
    folding and stemming every word of each result took half of a results page."""

    def __init__(self, exact: set[str], prefixes: set[str]):
        self.exact, self.prefixes = exact, tuple(prefixes)
        self._known: dict[str, bool] = {}

    def _matches(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            folded = fold(word)
            known = stem(folded) in self.exact or folded.startswith(self.prefixes)
            self._known[word] = known
        return known

    def snippet(self, text: str) -> SafeString:
        """About SNIPPET_WORDS words of `text` around its first match, matches in <mark>."""
        tokens = _TOKEN.findall(text)
        word_positions = [i for i, token in enumerate(tokens) if token[0].isalnum()]
        first_hit = next(
            (n for n, index in enumerate(word_positions) if self._matches(tokens[index])), 0
        )
        start_word = max(0, first_hit - SNIPPET_WORDS // 4)
        window = word_positions[start_word : start_word + SNIPPET_WORDS]
        if not window:
            return mark_safe("")
        start, end = window[0], window[-1] + 1
        hit_set = {index for index in window if self._matches(tokens[index])}
        pieces = ["… " if start_word > 0 else ""]
        for index in range(start, end):
            token = escape(tokens[index])
            pieces.append(f"<mark>{token}</mark>" if index in hit_set else token)
        if window[-1] != word_positions[-1]:
            pieces.append(" …")
        return mark_safe("".join(pieces))  # every piece of text went through escape()


def snippet(text: str, exact: set[str], prefixes: set[str]) -> SafeString:
    """One snippet (Highlighter.snippet); a results page makes one Highlighter."""
    return Highlighter(exact, prefixes).snippet(text)
