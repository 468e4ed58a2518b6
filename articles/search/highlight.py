"""Result snippets with the matched words marked; the text is escaped before marking.

Done in Python for both databases so that the result page looks the same everywhere
and no imported markup or query text can reach the page unescaped.
"""

import html
import re

from django.utils.safestring import SafeString, mark_safe

from articles.search.text import fold, stem

SNIPPET_WORDS = 40
# Runs of word characters and runs of the rest: the two alternate, a text's tokens are
# word, gap, word, … (or gap, word, gap, …).
_TOKEN = re.compile(r"[^\W_]+|[\W_]+")


class Highlighter:
    """Snippets for the results of one query.

    Each distinct word is folded and stemmed once for all the results (doing it for
    every word of each result took half of a results page), and a text's words are
    compared as a set: a result's first match is found with list.index, not by walking
    its words in Python, which took most of a snippet's time on 3,000-character bodies.
    """

    def __init__(self, exact: set[str], prefixes: set[str]):
        self.exact, self.prefixes = exact, tuple(prefixes)
        self._seen: set[str] = set()
        self._hits: set[str] = set()

    def _hits_among(self, words: list[str]) -> set[str]:
        distinct = set(words)
        unseen = distinct - self._seen
        for word in unseen:
            folded = fold(word)
            if stem(folded) in self.exact or folded.startswith(self.prefixes):
                self._hits.add(word)
        self._seen |= unseen
        return distinct & self._hits

    def snippet(self, text: str) -> SafeString:
        """About SNIPPET_WORDS words of `text` around its first match, matches in <mark>."""
        tokens = _TOKEN.findall(text)
        first = 0 if tokens and tokens[0][0].isalnum() else 1
        words = tokens[first::2]
        hits = self._hits_among(words)
        first_hit = min(map(words.index, hits), default=0)
        start_word = max(0, first_hit - SNIPPET_WORDS // 4)
        end_word = min(len(words), start_word + SNIPPET_WORDS)
        if start_word >= end_word:
            return mark_safe("")
        # From the window's first word to its last: words at even places, gaps between.
        shown = tokens[first + 2 * start_word : first + 2 * end_word - 1]
        shown[1::2] = map(html.escape, shown[1::2])  # words have no character to escape
        if hits:
            shown[::2] = [f"<mark>{word}</mark>" if word in hits else word for word in shown[::2]]
        before = "… " if start_word > 0 else ""
        after = " …" if end_word < len(words) else ""
        return mark_safe(before + "".join(shown) + after)  # the gaps went through escape()


def snippet(text: str, exact: set[str], prefixes: set[str]) -> SafeString:
    """One snippet (Highlighter.snippet); a results page makes one Highlighter."""
    return Highlighter(exact, prefixes).snippet(text)
