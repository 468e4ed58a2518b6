"""An RFC 4287 check for Atom feeds: the RELAX NG schema of its Appendix B, plus what the
schema cannot say (its Schematron rules are annotations lxml ignores, and atomUri is any
text there).

`atom_problems(xml)` returns what is wrong, one sentence per finding; an empty list is a
valid feed. Schemas: tests/schemas/README.md.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree
from rfc3987_syntax import is_valid_syntax_iri

SCHEMAS = Path(__file__).parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"atom": ATOM[1:-1]}

_relaxng = None

# RFC 3339 date-time: a time zone is required (xsd:dateTime in the schema lets it out).
RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.IGNORECASE
)
# RFC 4151: "tag:" authority "," date ":" specific
TAG_URI = re.compile(
    r"tag:(?P<authority>[^,:]+),(?P<date>\d{4}(-\d{2}(-\d{2})?)?):(?P<specific>.*)", re.DOTALL
)


def atom_schema() -> etree.RelaxNG:
    global _relaxng
    if _relaxng is None:
        _relaxng = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    return _relaxng


def parse(xml: bytes) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.ElementTree(etree.fromstring(xml, parser))


def id_problem(value: str) -> str | None:
    if not is_valid_syntax_iri(value):
        return f"atom:id {value!r} is not an IRI (RFC 3987)"
    if value.lower().startswith("tag:"):
        match = TAG_URI.fullmatch(value)
        if match is None:
            return f"atom:id {value!r} is not a tag URI (RFC 4151)"
    return None


def absolute_http(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def semantic_problems(tree: etree._ElementTree) -> list[str]:
    problems = []
    feed = tree.getroot()
    if feed.tag != f"{ATOM}feed":
        return [f"the root is {feed.tag}, not atom:feed"]
    entries = feed.findall("atom:entry", NS)

    # 4.1.1: an author on the feed, or on every entry.
    if feed.find("atom:author", NS) is None:
        problems += [
            f"entry {position} has no atom:author and the feed has none"
            for position, entry in enumerate(entries, 1)
            if entry.find("atom:author", NS) is None
        ]
    for name in feed.iterfind(".//atom:author/atom:name", NS):
        if not (name.text or "").strip():
            problems.append("an atom:author has an empty atom:name")

    # 4.2.6: ids are IRIs, and an entry's is its own.
    ids = []
    for element in [feed, *entries]:
        found = element.findall("atom:id", NS)
        if len(found) != 1:
            problems.append(f"{element.tag} has {len(found)} atom:id elements")
            continue
        value = (found[0].text or "").strip()
        if value != found[0].text:
            problems.append(f"atom:id {found[0].text!r} has surrounding white space")
        if problem := id_problem(value):
            problems.append(problem)
        ids.append(value)
    duplicates = sorted({value for value in ids if ids.count(value) > 1})
    problems += [f"atom:id {value!r} is used more than once" for value in duplicates]

    # 3.3 and 4.2.15: updated on the feed and on every entry, RFC 3339 with a zone.
    for element in [feed, *entries]:
        updated = element.find("atom:updated", NS)
        if updated is None:
            problems.append(
                f"{element.tag} with id {element.findtext('atom:id', '', NS)!r} has no atom:updated"
            )
    for date in feed.iterfind(".//atom:updated", NS):
        if not RFC3339.fullmatch(date.text or ""):
            problems.append(f"atom:updated {date.text!r} is not an RFC 3339 date-time")
    for date in feed.iterfind(".//atom:published", NS):
        if not RFC3339.fullmatch(date.text or ""):
            problems.append(f"atom:published {date.text!r} is not an RFC 3339 date-time")

    # Links and person URIs absolute on http(s); the feed links itself (4.1.1, SHOULD).
    for link in feed.iterfind(".//atom:link", NS):
        href = link.get("href", "")
        if not absolute_http(href):
            problems.append(f"atom:link href {href!r} is not an absolute http(s) URL")
    for uri in feed.iterfind(".//atom:uri", NS):
        if not absolute_http(uri.text or ""):
            problems.append(f"atom:uri {uri.text!r} is not an absolute http(s) URL")
    if not any(link.get("rel") == "self" for link in feed.findall("atom:link", NS)):
        problems.append("the feed has no atom:link rel=self")

    # 4.1.1 and 4.1.2: no two alternate links of one type and language.
    for element in [feed, *entries]:
        alternates = [
            (link.get("type"), link.get("hreflang"))
            for link in element.findall("atom:link", NS)
            if link.get("rel", "alternate") == "alternate"
        ]
        if len(alternates) != len(set(alternates)):
            problems.append(f"{element.tag} has two alternate links of one type and language")
        # 4.1.2: without atom:content an entry needs an alternate link.
        if element is not feed and not alternates and element.find("atom:content", NS) is None:
            problems.append("an entry has neither atom:content nor an alternate link")
    return problems


def atom_problems(xml: bytes) -> list[str]:
    try:
        tree = parse(xml)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    schema = atom_schema()
    problems = []
    if not schema.validate(tree):
        problems += [f"RELAX NG, line {e.line}: {e.message}" for e in schema.error_log]
    return problems + semantic_problems(tree)
