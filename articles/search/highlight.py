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


def _matches(word: str, exact: set[str], prefixes: set[str]) -> bool:
    folded = fold(word)
    return stem(folded) in exact or any(folded.startswith(prefix) for prefix in prefixes)


def snippet(text: str, exact: set[str], prefixes: set[str]) -> SafeString:
    """About SNIPPET_WORDS words of `text` around its first match, matches in <mark>.

    Words are compared up to the first match and within the window only, each distinct
    word once: folding and stemming every word of a long article took half of a results
    page's time."""
    tokens = _TOKEN.findall(text)
    word_positions = [i for i, token in enumerate(tokens) if token[0].isalnum()]
    known: dict[str, bool] = {}

    def matches(index: int) -> bool:
        word = tokens[index]
        if word not in known:
            known[word] = _matches(word, exact, prefixes)
        return known[word]

    first_hit = next((n for n, index in enumerate(word_positions) if matches(index)), 0)
    start_word = max(0, first_hit - SNIPPET_WORDS // 4)
    window = word_positions[start_word : start_word + SNIPPET_WORDS]
    if not window:
        return mark_safe("")
    start, end = window[0], window[-1] + 1
    hit_set = {index for index in window if matches(index)}
    pieces = ["… " if start_word > 0 else ""]
    for index in range(start, end):
        token = escape(tokens[index])
        pieces.append(f"<mark>{token}</mark>" if index in hit_set else token)
    if window[-1] != word_positions[-1]:
        pieces.append(" …")
    return mark_safe("".join(pieces))  # every piece of text went through escape()
