"""The weblinks under an article, as readers see them.

Imported pages give a link as its address line, sometimes followed by a line of link
text whose own address the saved page lost ("Mehr Informationen zur Initiative Digital
(Deep Link)"). Such a label-only entry is not a link and must not look like one:

- when a neighbouring link (the one before or after it) carries the same text as its
  label, the entry is that link's text again and is merged into it;
- otherwise it is shown as plain text, with the "(Deep Link)" marker of the source site
  taken off (it names a link we do not have).

Only http(s) addresses become links (the model and the database refuse others; this
module checks again, since the template is the last line before the reader).
"""

import re
from dataclasses import dataclass

_DEEP_LINK_MARKER = re.compile(r"\s*\(\s*deep\s*link\s*\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Weblink:
    text: str
    url: str = ""  # empty: plain text, not a link

    @property
    def is_link(self) -> bool:
        return bool(self.url)


def _comparable(text: str) -> str:
    return " ".join(_DEEP_LINK_MARKER.sub("", text).split()).casefold()


def _is_web_address(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def weblinks(links) -> list[Weblink]:
    """`links` (ArticleLink rows in their order) as the list a page shows."""
    links = [link for link in links if link.label.strip() or _is_web_address(link.url)]
    shown = []
    for i, link in enumerate(links):
        if _is_web_address(link.url):
            shown.append(Weblink(text=link.label.strip() or link.url, url=link.url))
            continue
        label = _comparable(link.label)
        neighbours = links[max(i - 1, 0) : i] + links[i + 1 : i + 2]
        if any(_is_web_address(n.url) and _comparable(n.label) == label for n in neighbours):
            continue  # the neighbouring link says the same: one entry, the link
        text = _DEEP_LINK_MARKER.sub("", link.label).strip() or link.label.strip()
        shown.append(Weblink(text=text))
    return shown
