"""Properties of parse_page on generated pages built from real seed blocks and random lines."""

import dataclasses
import pathlib
import string
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importer.parse import (
    _INVISIBLE,
    _SPACE_RUN,
    Page,
    PageParseError,
    clean_line,
    clean_spaces,
    parse_page,
    remove_invisible,
)

SEEDS = sorted((pathlib.Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in SEEDS]

NBSP = "\xa0"
FURNITURE_STRINGS = (
    "Druckversion",
    "Anzeige",
    "Suchen...",
    "Aboverwaltung",
    "Abbonement kuendigen",
    "Aktuelle Meldungen",
    "Aktuelle Information des Verlags",
    "zk2020",
)
FURNITURE_LINES = (
    f"Druckversion{NBSP}{NBSP}{NBSP} PDF{NBSP}{NBSP}{NBSP} Link mailen",
    f"{NBSP}Anzeige",
    "zk2020",
    "Suchen...",
    "Aboverwaltung",
    "Abbonement kuendigen",
    "Aktuelle Meldungen",
    "Aktuelle Information des Verlags",
    "Kommune21, Ausgabe 6/2021",
)
AD_LINES = (f"{NBSP}Anzeige", "zk2020", "Anzeige ")


def blocks_of(text):
    """A seed cut at its blank lines: kicker and title, lead, body, links, teasers, ..."""
    return [block for block in text.split("\n\n") if block.strip()]


SEED_BLOCKS = sorted({block for text in SEED_TEXTS for block in blocks_of(text)})
SEED_LINES = sorted({line for text in SEED_TEXTS for line in text.split("\n") if line.strip()})
SEED_HEADERS = ["\n".join(text.split("\n")[:5]) for text in SEED_TEXTS]

ALPHABET = (
    string.ascii_letters
    + string.digits
    + "äöüÄÖÜß  .,:;!?()[]/-–„“”\"'…&<>"
    + f"{NBSP}\t\u2009\u200b\x00\x07\x1b"
)


def no_furniture(line):
    cleaned = clean_line(line).casefold()
    return not any(furniture.casefold() in cleaned for furniture in FURNITURE_STRINGS)


random_lines = st.text(alphabet=ALPHABET, min_size=1, max_size=120).filter(no_furniture)
dates = st.builds(
    "[{}.{}.{}] ".format,
    st.integers(0, 40),
    st.integers(0, 14),
    st.integers(1990, 2030),
)
shaped_lines = st.one_of(
    st.builds(str.__add__, dates, random_lines),  # dated leads, some with invalid dates
    st.builds("{}: {}".format, random_lines, random_lines),  # teaser heads
    st.builds("{:05d} {}".format, st.integers(0, 99999), random_lines),  # PLZ Ort
    st.sampled_from(["https://www.kreis-unna.de", "javascript:alert(1)", "data:,x", "ftp://x"]),
    st.builds("Stichwörter: {}, {}".format, random_lines, random_lines),
    st.builds("Bildquelle: {}".format, random_lines),
).filter(no_furniture)
parts = st.one_of(
    st.sampled_from(SEED_BLOCKS),
    st.sampled_from(SEED_LINES),
    random_lines,
    shaped_lines,
    st.sampled_from(FURNITURE_LINES),
    st.sampled_from(["", "", "\n"]),
)


@st.composite
def pages(draw):
    """Mostly a real header, then a random mix of blocks, lines, furniture and blank lines."""
    real_header = draw(st.integers(0, 9)) > 1
    header = draw(st.sampled_from(SEED_HEADERS) if real_header else parts)
    body = draw(st.lists(parts, max_size=25))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    return bom + "\n".join([header, *body]).replace("\n", newline)


def page_strings(page):
    """Every text the page stores, except warnings (which quote lines on purpose)."""
    yield from (page.kicker, page.title, page.lead, page.image_caption, page.image_credit)
    yield from (page.section, page.author_initials, *page.tags)
    yield from (block.text for block in page.body)
    for link in page.links:
        yield from (link.url, link.label)
    for teaser in page.teasers:
        yield from (teaser.kicker, teaser.title, teaser.lead, teaser.image_caption, teaser.section)
    for vendor in page.vendors:
        yield from (vendor.name, vendor.postcode, vendor.city, vendor.section)


def parse_or_none(text):
    """Parse; a PageParseError is an allowed outcome, any other exception fails the test."""
    try:
        return parse_page(text, "generated.txt")
    except PageParseError as error:
        assert error.line >= 1
        assert str(error).startswith(f"generated.txt:{error.line}: ")
        return None


@settings(max_examples=200, deadline=None, database=None)
@given(pages())
def test_parse_raises_nothing_but_page_parse_error(text):
    parsed = parse_or_none(text)
    assert parsed is None or isinstance(parsed, Page)


@settings(max_examples=200, deadline=None, database=None)
@given(pages())
def test_furniture_never_leaks_into_page_fields(text):
    parsed = parse_or_none(text)
    if parsed is not None:
        for value in page_strings(parsed):
            assert not any(furniture in value for furniture in FURNITURE_STRINGS), value


@settings(max_examples=200, deadline=None, database=None)
@given(pages())
def test_stored_text_is_stripped_and_has_no_control_characters(text):
    parsed = parse_or_none(text)
    if parsed is not None:
        for value in page_strings(parsed):
            assert value == value.strip()
            assert "  " not in value
            assert not any(char in value for char in "\x00\x07\x1b\t\r\n\u200b\ufeff")


@settings(max_examples=200, deadline=None, database=None)
@given(pages())
def test_warnings_point_at_lines_of_the_page(text):
    parsed = parse_or_none(text)
    if parsed is not None:
        count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        assert all(1 <= warning.line <= count for warning in parsed.warnings)


def without_line_numbers(page):
    teasers = tuple(dataclasses.replace(teaser, line=0) for teaser in page.teasers)
    doubts = tuple(dataclasses.replace(doubt, lines=()) for doubt in page.doubts)
    return dataclasses.replace(
        page, teasers=teasers, warnings=(), doubts=doubts, kicker_line=0, keywords_line=0
    )


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.sampled_from(SEED_TEXTS),
    st.lists(st.tuples(st.integers(0, 80), st.sampled_from(("", *AD_LINES))), max_size=12),
)
def test_blank_lines_and_ads_anywhere_do_not_change_a_seed(text, insertions):
    lines = text.split("\n")
    for position, line in sorted(insertions, reverse=True):
        lines.insert(min(position, len(lines)), line)
    parsed = parse_page("\n".join(lines))
    assert without_line_numbers(parsed) == without_line_numbers(parse_page(text))
    assert parsed.warnings == ()


@settings(max_examples=500)
@given(st.text(alphabet=" \t\x0b\x0c\x1c\x85\xa0\u2003\u202f\u3000ab.", max_size=40))
def test_fast_space_cleanup_equals_the_pattern(line):
    assert clean_spaces(line) == _SPACE_RUN.sub(" ", line).strip()


def test_every_invisible_character_is_unprintable():
    """remove_invisible() leaves printable text alone without looking: that is only
    right while no character the pattern removes counts as printable."""
    printable_invisible = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if _INVISIBLE.fullmatch(chr(code)) and chr(code).isprintable()
    ]
    assert printable_invisible == []


@given(st.text(alphabet="ab \n\xad\u200b\x07\ufeff\xa0", max_size=30))
def test_invisible_characters_are_removed_from_any_text(text):
    assert remove_invisible(text) == _INVISIBLE.sub("", text)
