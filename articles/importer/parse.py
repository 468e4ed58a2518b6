"""Parse one saved article page (plain text, see docs/seed-format.md) into a `Page`.

Pure Python: no Django and no database, so the parser can be tested and benchmarked alone.

Shape: every line is cleaned and classified once (`_classify`); `_PageParser` then walks the
lines block by block: header (kicker, title, dated lead), optional image caption, body,
weblinks, keywords and image credit, then the page trailer with related-news teasers and
vendors. Page furniture (print bar, ads, search box, publisher notice, subscription links)
is recognised by its shape and dropped wherever it stands. A line that fits nowhere becomes
a `ParseWarning`, never a silent loss; only a page without kicker, title or a valid dated
lead is an error (`PageParseError`).

Heuristics (the copies carry no markup, so some blocks are told apart by shape):

* Image caption: the first text line after the lead is the caption when it is short (under
  200 characters), does not end with author initials, is followed by more body text, and
  the page shows an image: it has a "Bildquelle:" line, or the caption line itself had
  trailing whitespace (the copies leave a blank after captions). Otherwise it is body.
* Intertitle: a body line under 80 characters without closing punctuation, with a blank
  line right before and after it and body text on both sides.
* Vendors: a name line followed by a "PLZ Ort" line (5 digits and a city), normally followed
  by the name again; the repeated name wins because the first can carry a glued label
  ("IT-Guide PlusCC e-gov GmbH"). Found with or without the "Ausgewählte Anbieter" header.
* Teasers: a text line directly followed by a dated line ("[d.m.yyyy] … mehr..."), and an
  optional caption line that neither starts another teaser nor a vendor.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PARAGRAPH = "paragraph"
INTERTITLE = "intertitle"
MELDUNG = "meldung"
BERICHT = "bericht"

# Longest values the importer stores; longer ones are cut with a warning.
KICKER_MAX = 200
TITLE_MAX = 300
CAPTION_MAX = 500
CREDIT_MAX = 200
TAG_MAX = 150
URL_MAX = 500
LABEL_MAX = 300
VENDOR_NAME_MAX = 200

CAPTION_SHORT = 200
INTERTITLE_SHORT = 80


# --- Public data ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    type: str  # PARAGRAPH or INTERTITLE
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # "" for a label whose URL was lost in the copy
    label: str = ""


@dataclass(frozen=True, slots=True)
class Teaser:
    kicker: str
    title: str
    kind: str
    published: dt.date
    lead: str
    image_caption: str
    section: str
    line: int


@dataclass(frozen=True, slots=True)
class Vendor:
    name: str
    postcode: str
    city: str
    section: str


@dataclass(frozen=True, slots=True)
class ParseWarning:
    line: int
    message: str


# Kinds of doubt; the values are those of articles.importer.models.Finding.Kind.
DOUBT_CAPTION = "caption"
DOUBT_CUT_OFF = "cut_off"
DOUBT_LINK_DROPPED = "link_dropped"
DOUBT_TRUNCATED = "truncated"


@dataclass(frozen=True, slots=True)
class Doubt:
    """A decision the parser took on weak evidence, for an editor to check.

    `field` names the article field it concerns; `lines` are the source lines, as
    (number, text) pairs; `message` is German, for the editors' worklist."""

    kind: str
    field: str
    message: str
    lines: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class Page:
    kicker: str
    title: str
    kind: str
    published: dt.date
    lead: str
    body: tuple[Block, ...]
    image_caption: str
    image_credit: str
    author_initials: str
    links: tuple[Link, ...]
    section: str
    tags: tuple[str, ...]
    teasers: tuple[Teaser, ...]
    vendors: tuple[Vendor, ...]
    warnings: tuple[ParseWarning, ...]
    doubts: tuple[Doubt, ...] = ()
    # Where the kicker and the Stichwörter stand (0: no such line), for findings.
    kicker_line: int = 0
    keywords_line: int = 0


class PageParseError(Exception):
    """A page that cannot be an article: no kicker, title or valid dated lead."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(source, line, reason)
        self.source = source
        self.line = line
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


def parse_page(text: str, source: str = "<string>") -> Page:
    """Parse one page; `source` only names the page in errors."""
    return _PageParser(text, source).parse()


# --- Text cleanup --------------------------------------------------------------------------

_NEWLINE = re.compile(r"\r\n?|\n")
# Control characters that are not whitespace, format characters (Unicode category Cf:
# soft hyphen, zero-width and bidi marks, BOM, ...) and lone surrogates carry no text.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\ud800-\udfff]"
)
# Runs of any whitespace, and single odd spaces (tab, thin space, ...), become one space;
# a lone no-break space between two words is typography and stays.
_SPACE_RUN = re.compile(r"[^\S\n]{2,}|[^\S \n\xa0\u202f]")
_HARD_SPACE = re.compile("[\xa0\u202f]")


def clean_line(raw: str) -> str:
    """One line as stored: invisible characters removed, layout spaces normalised, stripped."""
    return clean_spaces(remove_invisible(raw))


def remove_invisible(text: str) -> str:
    """Text without the _INVISIBLE characters; all of them are unprintable, so a
    printable text (most lines) needs no pattern."""
    return text if text.isprintable() else _INVISIBLE.sub("", text)


def clean_spaces(line: str) -> str:
    """Layout spaces of one line normalised (see _SPACE_RUN), the line stripped.

    Without a no-break space, that is str.split() and a join, several times faster
    than the pattern: the parser's largest cost per page.
    """
    if "\xa0" in line or "\u202f" in line:
        return _SPACE_RUN.sub(" ", line).strip()
    return " ".join(line.split())


def _flat(text: str) -> str:
    """Names and keys (kicker, tags, vendors) use plain spaces only."""
    return _HARD_SPACE.sub(" ", text)


# --- Line classification -------------------------------------------------------------------

BLANK = "blank"
AD = "ad"  # ad slots: dropped without ending any block
TRAILER = "trailer"  # print bar, search box, subscription links: the article is over
ISSUE = "issue"  # "Kommune21, Ausgabe 6/2021": end of the publisher notice
NOTICE = "notice"  # "Aktuelle Information des Verlags": starts the publisher notice
KEYWORDS = "keywords"
CREDIT = "credit"
RELATED = "related"
VENDORS = "vendors"
URL = "url"
BADLINK = "badlink"
DATED = "dated"
POSTCODE = "postcode"
TEXT = "text"

_AD = re.compile(r"(?i:Anzeige)|[a-z]{1,4}\d{2,4}")
_TRAILER = re.compile(
    r"(?:Druckversion|PDF|Link\s+mailen)(?:\s*[|·]?\s*(?:Druckversion|PDF|Link\s+mailen))*"
    r"|Suchen\s*(?:\.{2,}|…)?"
    r"|Abo(?:nnement)?verwaltung"
    r"|Ab+on+ement\s+k(?:ue|ü)ndigen"
    r"|Aktuelle\s+Meldungen",
    re.IGNORECASE,
)
_ISSUE = re.compile(r"Kommune\s?21\s*,?\s*Ausgabe\s+\d{1,2}\s*/\s*\d{4}", re.IGNORECASE)
_NOTICE = re.compile(r"Aktuelle\s+Information(?:en)?\s+des\s+Verlag(?:e?s)?", re.IGNORECASE)
_KEYWORDS = re.compile(r"Stichw(?:ö|oe|o)rter?\s*:\s*(.*)", re.IGNORECASE)
_CREDIT = re.compile(r"Bildquellen?\s*:\s*(.*)", re.IGNORECASE)
_RELATED = re.compile(
    r"Weitere\s+Meldungen\s+und\s+Beitr(?:ä|ae)ge\s+aus\s+dem\s+Bereich\b\s*(.*?)\s*:?",
    re.IGNORECASE,
)
_VENDORS = re.compile(
    r"Ausgew(?:ä|ae)hlte\s+Anbieter\s+aus\s+dem\s+Bereich\b\s*(.*?)\s*:?", re.IGNORECASE
)
_URL = re.compile(r"https?://[^\s/?#]+\S*", re.IGNORECASE)
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]{0,30})\s*:(.*)", re.IGNORECASE)
# Schemes that mark a line as a (non-web) link even without "//".
_LINK_SCHEMES = frozenset(
    {
        *("javascript", "vbscript", "livescript", "data", "blob", "file", "about", "jar"),
        *("ftp", "ftps", "sftp", "ssh", "telnet", "gopher", "news", "nntp", "irc", "smb"),
        *("mailto", "tel", "sms", "callto", "chrome", "intent", "view-source", "ws", "wss"),
        "ldap",
    }
)
_DATED = re.compile(r"\[\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{4})\s*\]\s*(.*)")
_POSTCODE = re.compile(r"(\d{5})\s+([^\d\s].{0,59})")

# Checked in this order; the first match decides the kind (furniture first).
_FULL_MATCHES = (
    (AD, _AD),
    (TRAILER, _TRAILER),
    (ISSUE, _ISSUE),
    (NOTICE, _NOTICE),
    (RELATED, _RELATED),
    (VENDORS, _VENDORS),
    (URL, _URL),
)
_PREFIX_MATCHES = ((KEYWORDS, _KEYWORDS), (CREDIT, _CREDIT), (DATED, _DATED))


@dataclass(slots=True)
class _Line:
    no: int  # 1-based
    text: str
    kind: str
    match: re.Match[str] | None
    spaced: bool  # the raw line ended in whitespace (a hint for image captions)


def _split_lines(text: str) -> list[_Line]:
    """Clean and classify every line."""
    lines = []
    for no, raw in enumerate(_NEWLINE.split(text), 1):
        raw = remove_invisible(raw)
        line = clean_spaces(raw)
        kind, match = _classify(line)
        lines.append(_Line(no, line, kind, match, raw[-1:].isspace()))
    return lines


def _classify(text: str) -> tuple[str, re.Match[str] | None]:
    if not text:
        return BLANK, None
    for kind, pattern in _FULL_MATCHES:
        match = pattern.fullmatch(text)
        if match:
            return kind, match
    for kind, pattern in _PREFIX_MATCHES:
        match = pattern.match(text)
        if match:
            return kind, match
    match = _POSTCODE.fullmatch(text)
    if match:
        return POSTCODE, match
    match = _SCHEME.fullmatch(text)
    if match and (match[1].lower() in _LINK_SCHEMES or match[2].startswith("//")):
        return BADLINK, match
    return TEXT, None


# --- Small helpers -------------------------------------------------------------------------

_TEXTUAL = frozenset((TEXT, POSTCODE))  # may be a kicker or title
_BODYLIKE = frozenset((TEXT, POSTCODE, DATED))  # may be body text
_HEAD_SPLIT = re.compile(r":\s+")
_MORE = re.compile(r"\s*mehr\s*(?:\.{2,}|…)$", re.IGNORECASE)
_INITIALS = re.compile(r"\s*\(([a-zäöüß]{2,3})\)$")
_CLOSING = tuple(".!?:;,\"“”„»«)…'’")
_GLUED_LABELS = ("IT-Guide Plus",)
_BERICHT_SUFFIX = " Bericht"

# Phases of the walk, in page order; a marker line can only move the walk forward.
_BODY, _LINKS, _META, _TRAILER_PHASE = range(4)


def _excerpt(text: str, width: int = 60) -> str:
    return f"'{text}'" if len(text) <= width else f"'{text[: width - 1]}…'"


def _date(match: re.Match[str]) -> dt.date:
    return dt.date(int(match[3]), int(match[2]), int(match[1]))


def _date_text(match: re.Match[str]) -> str:
    return f"{match[1]}.{match[2]}.{match[3]}"


def _split_kind(title: str) -> tuple[str, str]:
    """A trailing " Bericht" marks a report; it is not part of the title."""
    if len(title) > len(_BERICHT_SUFFIX) and _flat(title).endswith(_BERICHT_SUFFIX):
        return title[: -len(_BERICHT_SUFFIX)].rstrip(), BERICHT
    return title, MELDUNG


def _split_head(text: str) -> tuple[str, str] | None:
    """Split "kicker: title" at the first colon followed by a space; None without one."""
    parts = _HEAD_SPLIT.split(text, maxsplit=1)
    if len(parts) != 2:
        return None
    kicker, title = _flat(parts[0]).rstrip(), parts[1]
    return (kicker, title) if kicker and title else None


def _strip_more(lead: str) -> str:
    match = _MORE.search(lead, max(0, len(lead) - 20))
    return lead[: match.start()].rstrip() if match else lead


def _name_key(name: str) -> str:
    return " ".join(_flat(name).casefold().split())


def _is_repeat(first: str, second: str) -> bool:
    """The vendor's repeated name equals the first name, or ends it (after a glued label)."""
    key = _name_key(second)
    return bool(key) and _name_key(first).endswith(key)


def _is_intertitle_text(text: str) -> bool:
    return len(text) < INTERTITLE_SHORT and not text.endswith(_CLOSING)


# The article fields whose cut is a doubt about this page's article: what, (field, label).
_CUT_FIELDS = {
    "title": ("title", "Der Titel"),
    "kicker": ("kicker", "Die Dachzeile"),
    "image caption": ("image_caption", "Die Bildunterschrift"),
    "image credit": ("image_credit", "Die Bildquelle"),
    "section": ("section", "Der Bereich"),
    "tag": ("tags", "Ein Stichwort"),
    "link URL": ("links", "Eine Link-Adresse"),
    "link label": ("links", "Ein Link-Text"),
}


# --- The walk ------------------------------------------------------------------------------


class _PageParser:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = _split_lines(text)
        self.count = len(self.lines)
        self.has_credit = any(line.kind == CREDIT for line in self.lines)
        self.warnings: list[ParseWarning] = []
        self.doubts: list[Doubt] = []
        self.kicker_line = 0
        self.keywords_line = 0
        # walk state
        self.phase = _BODY
        self.prev_blank = False
        self.in_notice = False
        self.notice_issues = False
        self.caption_open = True
        self.teaser_section: str | None = None
        self.vendor_section: str | None = None
        self.warned_headless_teaser = False
        # results
        self.caption = ""
        self.credit = ""
        self.keywords_seen = False
        self.section = ""
        self.tags: list[str] = []
        self.links: list[Link] = []
        self.body: list[tuple[int, bool]] = []  # line index, blank line before it
        self.teasers: list[tuple[dict, str | None]] = []
        self.vendors: list[tuple[dict, str | None]] = []

    def parse(self) -> Page:
        kicker, title, kind, published, lead, start = self._header()
        self._walk(start)
        body, initials = self._body_blocks()
        self._final_checks(start - 1)
        return Page(
            kicker=kicker,
            title=title,
            kind=kind,
            published=published,
            lead=lead,
            body=body,
            image_caption=self.caption,
            image_credit=self.credit,
            author_initials=initials,
            links=tuple(self.links),
            section=self.section,
            tags=tuple(self.tags),
            teasers=tuple(Teaser(**f, section=s or self.section) for f, s in self.teasers),
            vendors=tuple(Vendor(**f, section=s or self.section) for f, s in self.vendors),
            warnings=tuple(sorted(self.warnings, key=lambda warning: warning.line)),
            doubts=tuple(self.doubts),
            kicker_line=self.kicker_line,
            keywords_line=self.keywords_line,
        )

    # -- reporting

    def _error(self, line: int, reason: str) -> PageParseError:
        return PageParseError(self.source, line, reason)

    def _warn(self, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(line, message))

    def _doubt(self, kind: str, field: str, message: str, *line_numbers: int) -> None:
        lines = tuple((no, self.lines[no - 1].text) for no in line_numbers if 0 < no <= self.count)
        self.doubts.append(Doubt(kind, field, message, lines))

    def _unplaced(self, line: _Line) -> None:
        self._warn(line.no, f"unplaced line: {_excerpt(line.text)}")

    def _cut(self, value: str, limit: int, what: str, line: int) -> str:
        if len(value) <= limit:
            return value
        self._warn(line, f"{what} cut to {limit} characters (was {len(value)})")
        if what in _CUT_FIELDS:  # a teaser's or vendor's cut belongs to another record
            field, label = _CUT_FIELDS[what]
            self._doubt(
                DOUBT_TRUNCATED,
                field,
                f"{label} war {len(value)} Zeichen lang und wurde auf {limit} gekürzt.",
                line,
            )
        return value[:limit].rstrip()

    # -- navigation

    def _next_content(self, i: int) -> int | None:
        """Next line that is neither blank nor an ad slot (ads can stand anywhere)."""
        while i < self.count:
            if self.lines[i].kind not in (BLANK, AD):
                return i
            i += 1
        return None

    def _followed_by(self, i: int, kind: str) -> bool:
        j = self._next_content(i + 1)
        return j is not None and self.lines[j].kind == kind

    def _starts_teaser(self, i: int) -> bool:
        return self.lines[i].kind in _TEXTUAL and self._followed_by(i, DATED)

    def _starts_vendor(self, i: int) -> bool:
        return self.lines[i].kind == TEXT and self._followed_by(i, POSTCODE)

    # -- header: kicker, title, dated lead

    def _header(self) -> tuple[str, str, str, dt.date, str, int]:
        i = self._next_content(0)
        if i is None:
            if all(line.kind == BLANK for line in self.lines):
                raise self._error(1, "empty page: expected a kicker line")
            raise self._error(self.count, "expected a kicker line, found only ads")
        kicker_line = self.lines[i]
        if kicker_line.kind not in _TEXTUAL:
            raise self._error(
                kicker_line.no, f"expected a kicker line, found {_excerpt(kicker_line.text)}"
            )
        j = self._next_content(i + 1)
        if j is None:
            raise self._error(self.count, "page ends after the kicker: expected a title line")
        if self.lines[j].kind == DATED:
            kicker, title = self._kicker_and_title_in_one(kicker_line, self.lines[j])
            title_no, lead_index = kicker_line.no, j
        else:
            title_line = self.lines[j]
            if title_line.kind not in _TEXTUAL:
                raise self._error(
                    title_line.no,
                    f"expected a title line after the kicker, found {_excerpt(title_line.text)}",
                )
            kicker, title, title_no = self._kicker(kicker_line), title_line.text, title_line.no
            lead_index = self._next_content(j + 1)
            if lead_index is None:
                raise self._error(
                    self.count, "page ends after the title: expected a dated lead '[d.m.yyyy] …'"
                )
        self.kicker_line = kicker_line.no
        lead_line = self.lines[lead_index]
        if lead_line.kind != DATED:
            raise self._error(
                lead_line.no,
                "expected a dated lead '[d.m.yyyy] …' after the title, "
                f"found {_excerpt(lead_line.text)}",
            )
        try:
            published = _date(lead_line.match)
        except ValueError as exc:
            raise self._error(
                lead_line.no, f"invalid date '{_date_text(lead_line.match)}' in the lead: {exc}"
            ) from None
        lead = lead_line.match[4]
        if not lead:
            self._warn(lead_line.no, "the dated lead has no text")
        title, kind = _split_kind(title)
        title = self._cut(title, TITLE_MAX, "title", title_no)
        kicker = self._cut(kicker, KICKER_MAX, "kicker", kicker_line.no)
        return kicker, title, kind, published, lead, lead_index + 1

    def _kicker(self, line: _Line) -> str:
        kicker = _flat(line.text)
        if not kicker.endswith(":"):
            self._warn(line.no, "kicker line does not end with ':'")
            return kicker
        kicker = kicker[:-1].rstrip()
        if not kicker:
            raise self._error(line.no, "expected a kicker line, found an empty kicker ':'")
        return kicker

    def _kicker_and_title_in_one(self, line: _Line, lead: _Line) -> tuple[str, str]:
        """Tolerate "Kreis Unna: Digitaler Masterplan" on one line; else the title is missing."""
        head = _split_head(line.text)
        if head:
            self._warn(line.no, "kicker and title on one line; split at the first ': '")
            return head
        raise self._error(
            lead.no, f"expected a title line after the kicker, found {_excerpt(lead.text)}"
        )

    # -- everything after the lead

    def _walk(self, i: int) -> None:
        while i < self.count:
            kind = self.lines[i].kind
            if kind == BLANK:
                self.prev_blank = True
                i += 1
                continue
            if kind == AD:
                i += 1
                continue
            if self.in_notice and self._notice_goes_on(i):
                i += 1
                continue
            self.in_notice = False
            i = self._place(i)
            self.prev_blank = False

    def _enter(self, phase: int) -> None:
        self.phase = max(self.phase, phase)

    def _place(self, i: int) -> int:
        """Place the line at i (and the lines of its block); return the next index."""
        line = self.lines[i]
        kind = line.kind
        if kind in (TRAILER, ISSUE):
            self._enter(_TRAILER_PHASE)
        elif kind == NOTICE:
            self._enter(_TRAILER_PHASE)
            self.in_notice, self.notice_issues = True, False
        elif kind == KEYWORDS:
            self._keywords(line)
            self._enter(_META)
        elif kind == CREDIT:
            self._credit(line)
            self._enter(_META)
        elif kind == RELATED:
            self._enter(_TRAILER_PHASE)
            self.teaser_section = self._block_section(line, "related news")
        elif kind == VENDORS:
            self._enter(_TRAILER_PHASE)
            self.vendor_section = self._block_section(line, "vendors")
        elif kind == URL:
            self._url(line)
        elif kind == BADLINK:
            self._badlink(line)
        else:
            return self._place_text(i)
        return i + 1

    def _place_text(self, i: int) -> int:
        strict = self.phase == _BODY  # in the body only unmistakable teasers/vendors count
        after = self._teaser(i, strict)
        if after is None:
            after = self._vendor(i, strict)
        if after is not None:
            self._enter(_TRAILER_PHASE)
            return after
        line = self.lines[i]
        if self.phase == _BODY:
            self._body_line(i)
        elif self.phase == _LINKS and line.kind == TEXT:
            label = self._cut(_flat(line.text), LABEL_MAX, "link label", line.no)
            self.links.append(Link(url="", label=label))
        else:
            self._unplaced(line)
        return i + 1

    def _notice_goes_on(self, i: int) -> bool:
        """The publisher notice runs to its "Kommune21, Ausgabe …" lines or the next block."""
        kind = self.lines[i].kind
        if kind == ISSUE:
            self.notice_issues = True
            return True
        if kind not in _BODYLIKE or self.notice_issues:
            return False
        return not (self._starts_teaser(i) or self._starts_vendor(i))

    # -- body and caption

    def _body_line(self, i: int) -> None:
        if self.caption_open:
            self.caption_open = False
            if self._is_caption(i):
                line = self.lines[i]
                self.caption = self._cut(line.text, CAPTION_MAX, "image caption", line.no)
                self._doubt_caption(line)
                return
        self.body.append((i, self.prev_blank))

    def _is_caption(self, i: int) -> bool:
        line = self.lines[i]
        if line.kind != TEXT or len(line.text) >= CAPTION_SHORT:
            return False
        if _INITIALS.search(line.text) or not (self.has_credit or line.spaced):
            return False
        j = self._next_content(i + 1)
        return j is not None and self.lines[j].kind in _BODYLIKE

    def _doubt_caption(self, line: _Line) -> None:
        """A caption told apart from the body by its shape alone may be something else."""
        text = line.text
        if text.endswith("?"):
            reason = "sie endet mit einem Fragezeichen und kann eine Frage im Text sein"
        elif _is_intertitle_text(text):
            reason = "sie hat kein Satzzeichen am Ende und kann eine Zwischenüberschrift sein"
        elif not self.has_credit:
            reason = "die Seite nennt keine Bildquelle; nur die Form der Zeile spricht dafür"
        else:
            return
        self._doubt(
            DOUBT_CAPTION,
            "image_caption",
            f"Kurze Zeile als Bildunterschrift gelesen, aber {reason}.",
            line.no,
        )

    def _blank_after(self, i: int) -> bool:
        j = i + 1
        while j < self.count and self.lines[j].kind == AD:
            j += 1
        return j < self.count and self.lines[j].kind == BLANK

    def _body_blocks(self) -> tuple[tuple[Block, ...], str]:
        last = len(self.body) - 1
        blocks = []
        for position, (i, blank_before) in enumerate(self.body):
            text = self.lines[i].text
            inside = 0 < position < last
            if inside and blank_before and self._blank_after(i) and _is_intertitle_text(text):
                blocks.append(Block(INTERTITLE, text))
            else:
                blocks.append(Block(PARAGRAPH, text))
        initials = ""
        if blocks:
            text = blocks[-1].text
            match = _INITIALS.search(text, max(0, len(text) - 12))
            if match:
                initials = match[1]
                text = text[: match.start()].rstrip()
                blocks[-1] = Block(PARAGRAPH, text)
                if not text:
                    blocks.pop()
        return tuple(blocks), initials

    # -- links, keywords, credit

    def _url(self, line: _Line) -> None:
        if self.phase > _META:
            self._unplaced(line)
            return
        self.links.append(Link(url=self._cut(line.text, URL_MAX, "link URL", line.no)))
        self._enter(_LINKS)

    def _badlink(self, line: _Line) -> None:
        scheme = line.match[1].lower()
        if scheme in ("http", "https"):
            self._warn(line.no, f"dropped malformed URL {_excerpt(line.text)}")
            message = "Eine fehlerhafte Link-Adresse wurde verworfen."
        else:
            self._warn(
                line.no, f"dropped link with unsupported scheme '{scheme}:': {_excerpt(line.text)}"
            )
            message = (
                f"Ein Link mit dem Schema „{scheme}:“ wurde verworfen: "
                "nur http- und https-Links werden übernommen."
            )
        self._doubt(DOUBT_LINK_DROPPED, "links", message, line.no)
        self._enter(_LINKS)

    def _keywords(self, line: _Line) -> None:
        """First entry is the section (Bereich), the rest are tags, de-duplicated."""
        if self.keywords_seen:
            self._warn(line.no, "second Stichwörter line ignored")
            return
        self.keywords_seen = True
        self.keywords_line = line.no
        section, *entries = (entry.strip() for entry in _flat(line.match[1]).split(","))
        if not section:  # keep positions: a tag must not move up to be the section
            self._warn(line.no, "Stichwörter line names no section")
        self.section = self._cut(section, TAG_MAX, "section", line.no)
        seen = set()
        for entry in filter(None, entries):
            tag = self._cut(entry, TAG_MAX, "tag", line.no)
            if tag.casefold() not in seen:
                seen.add(tag.casefold())
                self.tags.append(tag)

    def _credit(self, line: _Line) -> None:
        credit = _flat(line.match[1]).strip()
        if not credit:
            self._warn(line.no, "Bildquelle line has no text")
        elif self.credit:
            self._warn(line.no, "second Bildquelle line ignored")
        else:
            self.credit = self._cut(credit, CREDIT_MAX, "image credit", line.no)

    def _block_section(self, line: _Line, what: str) -> str:
        section = _flat(line.match[1]).strip()
        if not section:
            self._warn(line.no, f"{what} header names no section")
        return section

    # -- trailer: teasers and vendors

    def _teaser(self, i: int, strict: bool) -> int | None:
        """Read a teaser starting at i; None if no teaser starts there."""
        head = self.lines[i]
        j = self._next_content(i + 1)
        if head.kind not in _TEXTUAL or j is None or self.lines[j].kind != DATED:
            return None
        dated = self.lines[j]
        split = _split_head(head.text)
        lead = _strip_more(dated.match[4])
        if strict and not (split and lead != dated.match[4]):
            return None
        try:
            published = _date(dated.match)
        except ValueError as exc:
            self._warn(dated.no, f"teaser skipped: invalid date '{_date_text(dated.match)}': {exc}")
            return j + 1
        if split:
            kicker, title = split
        else:
            kicker, title = "", head.text
            self._warn(head.no, "teaser head has no 'kicker: title'")
        title, kind = _split_kind(title)
        caption, after = "", j + 1
        k = self._next_content(j + 1)
        if k is not None and self._is_teaser_caption(k):
            line = self.lines[k]
            caption, after = self._cut(line.text, CAPTION_MAX, "teaser caption", line.no), k + 1
        if self.teaser_section is None and not self.warned_headless_teaser:
            self.warned_headless_teaser = True
            self._warn(head.no, "teasers without a 'Weitere Meldungen' header; page section used")
        fields = {
            "kicker": self._cut(kicker, KICKER_MAX, "teaser kicker", head.no),
            "title": self._cut(title, TITLE_MAX, "teaser title", head.no),
            "kind": kind,
            "published": published,
            "lead": lead,
            "image_caption": caption,
            "line": head.no,
        }
        self.teasers.append((fields, self.teaser_section))
        return after

    def _is_teaser_caption(self, k: int) -> bool:
        return self.lines[k].kind == TEXT and not (self._starts_teaser(k) or self._starts_vendor(k))

    def _vendor(self, i: int, strict: bool) -> int | None:
        """Read a vendor (name, PLZ Ort, name again) starting at i; None if none starts there."""
        first = self.lines[i]
        j = self._next_content(i + 1)
        if first.kind != TEXT or j is None or self.lines[j].kind != POSTCODE:
            return None
        k = self._next_content(j + 1)
        repeat = None
        if k is not None and self._is_vendor_repeat(first, k):
            repeat = self.lines[k]
        if strict and repeat is None:
            return None
        if repeat is not None:
            name, after = _flat(repeat.text), k + 1
        else:
            name, after = self._unglued(_flat(first.text), first.no), j + 1
        place = self.lines[j].match
        fields = {
            "name": self._cut(name, VENDOR_NAME_MAX, "vendor name", first.no),
            "postcode": place[1],
            "city": _flat(place[2]),
        }
        self.vendors.append((fields, self.vendor_section))
        return after

    def _is_vendor_repeat(self, first: _Line, k: int) -> bool:
        line = self.lines[k]
        if line.kind != TEXT or self._starts_vendor(k):
            return False
        return _is_repeat(first.text, line.text)

    def _unglued(self, name: str, line: int) -> str:
        """Without the repeated name, drop a known glued label from the first name."""
        for label in _GLUED_LABELS:
            if name.startswith(label) and len(name) > len(label):
                name = name[len(label) :].lstrip()
                break
        self._warn(line, f"vendor {_excerpt(name)} has no repeated name line")
        return name

    # -- end of page

    def _final_checks(self, lead_index: int) -> None:
        if not self.body and not self.caption:
            self._warn(self.lines[lead_index].no, "page has no body text")
        if not self.keywords_seen:
            if self.phase < _TRAILER_PHASE:
                self._warn(self.count, "page ends before the Stichwörter line")
                last = next(
                    (line.no for line in reversed(self.lines) if line.kind != BLANK), self.count
                )
                self._doubt(
                    DOUBT_CUT_OFF,
                    "body",
                    "Die Seite bricht vor den Stichwörtern ab: Der Text ist vielleicht "
                    "unvollständig, Bereich und Stichwörter fehlen.",
                    last,
                )
            else:
                self._warn(self.count, "page has no Stichwörter line")
