"""Synthetic seed pages for benchmarks, shaped like the five real seeds in seeds/.

Five files say nothing about speed at scale: the benchmark needs thousands of pages that
vary like real ones (kickers, tags with a long tail, optional blocks, furniture) and that
share related-news teasers, some of which are full pages of other files, so that the
importer's deduplication and teaser-upgrade paths run as often as they do in production.
Everything is drawn from one seeded `random.Random`, so a run is reproducible.

Only the parser is imported (pure Python): generating files needs no Django.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

from articles.importer.parse import parse_page

REAL_SEEDS = Path(__file__).resolve().parent.parent / "seeds"

SECTIONS = ("Politik", "Praxis", "Panorama", "Wirtschaft", "Schwerpunkt")
SECTION_WEIGHTS = (5, 4, 3, 2, 1)

# Places of the Destatis register (Kreise, Städte, Länder) and organisations, as kickers
# and place tags; the first ones are the most frequent (weights fall off with the rank).
PLACES = (
    "Kreis Unna",
    "Landkreis Görlitz",
    "Düsseldorf",
    "Bayern",
    "Thüringen",
    "Hessen",
    "Kreis Leer",
    "Märkischer Kreis",
    "Köln",
    "München",
    "Hamburg",
    "Berlin",
    "Sachsen",
    "Schleswig-Holstein",
    "Nordrhein-Westfalen",
    "Baden-Württemberg",
    "Niedersachsen",
    "Freiburg",
    "Wertheim",
    "Leipzig",
    "Dresden",
    "Heidelberg",
    "Bielefeld",
    "Ulm",
    "Jena",
    "Erfurt",
    "Gelsenkirchen",
    "Bochum",
    "Dortmund",
    "Mannheim",
    "Karlsruhe",
    "Stuttgart",
    "Nürnberg",
    "Regensburg",
    "Kiel",
    "Lübeck",
    "Rostock",
    "Potsdam",
    "Magdeburg",
    "Hannover",
    "Osnabrück",
    "Wiesbaden",
    "Mainz",
    "Saarbrücken",
    "Trier",
    "Kassel",
    "Darmstadt",
    "Kreis Steinfurt",
    "Rhein-Sieg-Kreis",
    "Landkreis Harburg",
    "Kreis Soest",
    "Wartburgkreis",
    "Kyffhäuserkreis",
    "Enzkreis",
    "Ortenaukreis",
    "Landkreis Cuxhaven",
    "Main-Kinzig-Kreis",
    "Kreis Pinneberg",
    "Kreis Nordhausen",
    "Unstrut-Hainich-Kreis",
    "Brandenburg",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen-Anhalt",
    "Bremen",
    "Mecklenburg-Vorpommern",
    "Landkreis Osnabrück",
    "Rhein-Kreis Neuss",
    "Hochsauerlandkreis",
)
ORGANISATIONS = (
    "krz",
    "NKR",
    "kdvz",
    "Bund",
    "Deutscher Landkreistag",
    "Deutscher Städtetag",
    "KGSt",
    "Vitako",
    "IT-Planungsrat",
    "FITKO",
    "Dataport",
    "AKDB",
    "Komm.ONE",
    "ekom21",
    "NEGZ",
    "Bitkom",
    "Hochschule Schmalkalden",
    "Südwestfalen-IT (SIT)",
    "PD",
    "Kommunales Rechenzentrum Minden-Ravensberg/Lippe (krz)",
)
TOPIC_KICKERS = (
    "OZG",
    "Künstliche Intelligenz",
    "Telefonie",
    "Serie GovTech Start-ups",
    "Chief Digital Officer",
    "Open Data",
    "Smart City",
    "IT-Sicherheit",
    "Bayern/Nordrhein-Westfalen",
    "OZG 2.0",
    "Registermodernisierung",
)
TOPIC_TAGS = (
    "Digitalisierung",
    "OZG",
    "E-Government",
    "E-Akte",
    "interkommunale Kooperation",
    "Open Data",
    "Smart City",
    "IT-Sicherheit",
    "Breitband",
    "Künstliche Intelligenz",
    "Cloud",
    "Bürgerservice",
    "Onlinezugangsgesetz",
    "Fachkräftemangel",
    "Datenschutz",
    "Registermodernisierung",
    "Schuldigitalisierung",
    "Geodaten",
    "E-Rechnung",
    "Homeoffice",
    "Prozessmanagement",
    "Digitalstrategie",
    "Bürgerbeteiligung",
    "Nachhaltigkeit",
    "5G",
)
_TAIL_PREFIXES = (
    "Digital",
    "Verwaltungs",
    "Bürger",
    "Daten",
    "Cloud",
    "Netz",
    "Schul",
    "Service",
    "Portal",
    "Prozess",
    "Sicherheits",
    "Förder",
    "Projekt",
    "Smart-City-",
    "Open-Source-",
)
_TAIL_SUFFIXES = (
    "strategie",
    "management",
    "plattform",
    "konzept",
    "standard",
    "lösung",
    "initiative",
    "gesetz",
    "offensive",
    "kompetenz",
    "labor",
    "netzwerk",
    "dienst",
    "architektur",
    "modell",
)

TITLE_NOUNS = (
    "Digitalstrategie",
    "E-Akte",
    "Bürgerportal",
    "Onlinezugang",
    "Breitbandausbau",
    "Glasfasernetz",
    "Smart-City-Projekt",
    "Ratsinformationssystem",
    "Open-Data-Portal",
    "Servicekonto",
    "Digitalisierungsstrategie",
    "Verwaltungscloud",
    "KI-Assistent",
    "Chatbot",
    "E-Payment",
    "Terminvergabe",
    "Kfz-Zulassung",
    "Bauantrag",
    "Wohngeldantrag",
    "Schul-WLAN",
    "Informationssicherheit",
    "Rechenzentrum",
    "Geodatenportal",
    "Dokumenten-Management",
    "E-Rechnung",
    "Mängelmelder",
    "Beteiligungsplattform",
    "Digitallotsen-Programm",
    "Serviceportal",
    "Kita-Portal",
    "Förderprogramm",
    "Digitalbudget",
    "5G-Netz",
    "Masterplan",
    "Telefonservice",
    "Online-Antrag",
)
TITLE_PREDICATES = (
    "gestartet",
    "eingeführt",
    "ausgebaut",
    "beschlossen",
    "vorgestellt",
    "modernisiert",
    "erweitert",
    "neu ausgerichtet",
    "in Planung",
    "erfolgreich getestet",
    "ausgezeichnet",
    "umgesetzt",
    "freigeschaltet",
    "verlängert",
    "gefördert",
    "auf dem Prüfstand",
    "im Praxistest",
    "weiterentwickelt",
    "vereinheitlicht",
    "für alle Ämter",
)
TITLE_QUESTIONS = (
    "Zentralisierung als Hemmnis oder Chance?",
    "Wie geht es weiter?",
    "Was Kommunen jetzt wissen müssen",
    "Bilanz nach einem Jahr",
    "Die nächsten Schritte",
)
INTERTITLES = (
    "IT-Sicherheit verstärkt",
    "Nächste Schritte geplant",
    "Förderung durch das Land",
    "Bürger profitieren",
    "Schulen im Blick",
    "Erfahrungen aus der Praxis",
    "Kosten und Nutzen",
    "Zusammenarbeit mit den Kommunen",
    "Ausblick auf 2025",
)
AUTHORS = ("ve", "bs", "ba", "sib", "al", "th", "ur", "co")
VENDORS = (
    ("CC e-gov GmbH", "20097", "Hamburg"),
    ("H+H Software GmbH", "37073", "Göttingen"),
    ("TSA Public Service GmbH", "06108", "Halle (Saale)"),
    ("OrgaSoft Kommunal GmbH", "66119", "Saarbrücken"),
    ("AIDA ORGA GmbH", "75391", "Gechingen"),
    ("JCC Software", "48149", "Münster"),
    ("JCC Software GmbH", "48149", "Münster"),
    ("Telecomputer GmbH", "10829", "Berlin"),
    ("Komm.ONE", "70567", "Stuttgart"),
    ("Dataport AöR", "24161", "Altenholz"),
    ("ekom21 – KGRZ Hessen", "35394", "Gießen"),
    ("Materna Information & Communications SE", "44141", "Dortmund"),
)

# Page furniture, byte for byte as in the seeds (non-breaking spaces in the print bar).
PRINT_BAR = "Druckversion\xa0 \xa0 \xa0 PDF \xa0 \xa0 \xa0 Link mailen"
AD = "\xa0Anzeige"
SUBSCRIPTION = ["Aboverwaltung", "", "", "Abbonement kuendigen", "", "Abbonement kuendigen"]
NOTICE = [
    "Aktuelle Information des Verlags",
    "",
    "",
    "In Zeiten der Corona-Pandemie werden wir aktuelle Ausgaben von Kommune21 allen "
    "Interessierten bis auf weiteres kostenfrei digital zur Verfügung stellen.",
    "",
    "Wir haben an dieser Stelle eine Bitte an Sie:",
    "Die gegenwärtige Situation macht einmal mehr deutlich, wie wichtig das Thema "
    "Digitalisierung auch in Ihrer Verwaltung, Behörde oder Schule ist. Danke!",
    "",
]

_SENTENCE_END = re.compile(r"(?<=[.!?“])\s+(?=[A-ZÄÖÜ„])")


@dataclass(frozen=True, slots=True)
class Head:
    """What identifies an article (its natural key) plus what a teaser of it shows."""

    kicker: str
    title: str
    day: dt.date
    section: str
    lead: str
    caption: str
    bericht: bool = False

    def key(self) -> tuple:
        return (self.day, self.kicker.casefold(), self.title.casefold())


@dataclass
class Material:
    """Sentences, leads and captions of the real seeds, to be reused and shuffled."""

    sentences: list[str]
    leads: list[str]
    captions: list[str]

    @classmethod
    def from_seeds(cls, folder: Path = REAL_SEEDS) -> Material:
        sentences, leads, captions = [], [], []
        for path in sorted(folder.glob("*.txt")):
            page = parse_page(path.read_text(encoding="utf-8"), source=str(path))
            leads.append(page.lead)
            captions.extend(filter(None, [page.image_caption]))
            for block in page.body:
                if block.type == "paragraph":
                    sentences.extend(s for s in _sentences(block.text) if len(s) > 30)
            for teaser in page.teasers:
                leads.append(teaser.lead)
                captions.extend(filter(None, [teaser.image_caption]))
        return cls(sentences, sorted(set(leads)), sorted(set(captions)))


def _sentences(paragraph: str) -> list[str]:
    """Split at sentence ends, but never inside a „quotation“ (it may hold several)."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        sentence = paragraph[start : match.start()]
        if sentence.count("„") == sentence.count("“"):
            sentences.append(sentence)
            start = match.end()
    return [*sentences, paragraph[start:]]


def _zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    """Cumulative weights (for `choices(cum_weights=…)`) falling off with the rank."""
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


def _slug(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    return re.sub(r"[^a-z0-9]+", "-", name.casefold().translate(table)).strip("-")


class SeedGenerator:
    """Writes sets of seed files; all sets of one generator have distinct natural keys."""

    def __init__(self, seed: int = 20240423) -> None:
        self.rng = random.Random(seed)
        self.material = Material.from_seeds()
        self.kickers = [*PLACES, *ORGANISATIONS[:17], *TOPIC_KICKERS]
        self.kicker_weights = _zipf_weights(len(self.kickers), 0.8)
        tail = [
            prefix + (suffix.capitalize() if prefix.endswith("-") else suffix)
            for prefix in _TAIL_PREFIXES
            for suffix in _TAIL_SUFFIXES
        ]
        self.tags = [*TOPIC_TAGS, *ORGANISATIONS, *tail]
        self.tag_weights = _zipf_weights(len(self.tags))
        self.place_weights = _zipf_weights(len(PLACES))
        self.used_keys: set[tuple] = set()
        self.file_number = 0

    # -- public

    def write_set(
        self, folder: Path, files: int, teaser_pool: int, page_teaser_share: float = 0.2
    ) -> list[Path]:
        """Write `files` pages whose related news come from a pool of `teaser_pool` teasers.

        A share of the pool are the heads of full pages of this set, so those articles are
        met both as teasers and as pages (in either order).
        """
        folder.mkdir(parents=True, exist_ok=True)
        heads = [self._new_head() for _ in range(files)]
        from_pages = min(int(teaser_pool * page_teaser_share), files)
        pool = [
            replace(head, bericht=self.rng.random() < 0.2)
            for head in self.rng.sample(heads, from_pages)
        ]
        pool += [self._new_head(teaser=True) for _ in range(max(teaser_pool - from_pages, 5))]
        by_section = {section: [h for h in pool if h.section == section] for section in SECTIONS}
        paths = []
        for head in heads:
            self.file_number += 1
            name = f"{self.file_number:05d}_{self.rng.getrandbits(64):016x}.txt"
            path = folder / name
            path.write_text(self._page(head, by_section, pool), encoding="utf-8")
            paths.append(path)
        return paths

    # -- heads

    def _new_head(self, teaser: bool = False) -> Head:
        rng = self.rng
        while True:
            kicker = rng.choices(self.kickers, cum_weights=self.kicker_weights)[0]
            if rng.random() < 0.05:
                title = f"{rng.choice(TITLE_NOUNS)}: {rng.choice(TITLE_QUESTIONS)}"
            else:
                title = f"{rng.choice(TITLE_NOUNS)} {rng.choice(TITLE_PREDICATES)}"
            day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
            caption = rng.choice(self.material.captions) if rng.random() < 0.4 else ""
            head = Head(
                kicker=kicker,
                title=title,
                day=day,
                section=rng.choices(SECTIONS, SECTION_WEIGHTS)[0],
                lead=self._lead(kicker),
                caption=caption,
                bericht=teaser and rng.random() < 0.2,
            )
            if head.key() not in self.used_keys:
                self.used_keys.add(head.key())
                return head

    def _lead(self, kicker: str) -> str:
        lead = self.rng.choice(self.material.leads)
        return lead if self.rng.random() < 0.5 else f"{kicker}: {lead}"

    # -- one page

    def _page(self, head: Head, by_section: dict[str, list[Head]], pool: list[Head]) -> str:
        rng = self.rng
        caption = head.caption  # the same caption as the article's teasers show
        has_credit = bool(caption) or rng.random() < 0.1
        lines = [f"{head.kicker}:", head.title, "", "", f"[{_day(head.day)}] {head.lead}", ""]
        if caption:
            lines.append(caption + " ")  # the copies leave a blank after a caption
        lines += self._body()
        lines.append("")
        lines += self._links(head.kicker)
        lines += ["", f"Stichwörter: {', '.join([head.section, *self._tags(head.kicker)])}"]
        lines.append("")
        if has_credit:
            lines += [f"Bildquelle: {rng.choice([head.kicker, *ORGANISATIONS[:5]])}", ""]
        lines += [PRINT_BAR, "", ""]
        if rng.random() < 0.3:
            lines += [AD, ""]
        listing = head.section if rng.random() < 0.85 else rng.choice(SECTIONS)
        lines.append(f"Weitere Meldungen und Beiträge aus dem Bereich {listing}")
        candidates = [t for t in by_section[listing] or pool if t.key() != head.key()]
        teasers = rng.sample(candidates, min(rng.randint(3, 5), len(candidates)))
        for teaser in sorted(teasers, key=lambda t: t.day, reverse=True):
            lines += self._teaser(teaser)
        lines += ["Suchen...", "", *[AD, ""] * rng.randint(0, 3)]
        if rng.random() < 0.1:
            issue = rng.randint(1, 12)
            lines += [*NOTICE, *(f"Kommune21, Ausgabe {i}/2021" for i in range(issue, issue + 4))]
            lines.append("")
        if rng.random() < 0.6:
            lines += ["", *SUBSCRIPTION]
        if rng.random() < 0.4:
            lines += self._vendors(listing)
        lines.append("Aktuelle Meldungen")
        return "\n".join(lines)  # the copies have no final newline

    def _body(self) -> list[str]:
        rng = self.rng
        paragraphs = []
        for _ in range(rng.randint(3, 6)):
            sentences = rng.sample(self.material.sentences, rng.randint(2, 5))
            while sum(map(len, sentences)) < 220:  # longer than any caption
                sentences.append(rng.choice(self.material.sentences))
            paragraphs.append(" ".join(sentences))
        paragraphs[-1] += f" ({rng.choice(AUTHORS)})"
        lines = [paragraphs[0]]
        slots = rng.sample(range(1, len(paragraphs)), min(rng.randint(0, 2), len(paragraphs) - 1))
        for number, paragraph in enumerate(paragraphs[1:], start=1):
            if number in slots:
                lines += ["", rng.choice(INTERTITLES), ""]
            elif rng.random() < 0.25:
                lines.append("")
            lines.append(paragraph)
        return lines

    def _links(self, kicker: str) -> list[str]:
        rng = self.rng
        hosts = [_slug(kicker), *(_slug(rng.choice(PLACES)) for _ in range(3))]
        links = []
        for host in hosts[: rng.randint(1, 4)]:
            scheme = "https" if rng.random() < 0.8 else "http"
            path = rng.choice(["", "", "/digitalisierung", "/buergerservice/online-dienste"])
            links.append(f"{scheme}://www.{host}.de{path}")
        if rng.random() < 0.15:
            links.append(f"Mehr Informationen zu {kicker} (Deep Link)")
        return links

    def _tags(self, kicker: str) -> list[str]:
        rng = self.rng
        tags = [kicker] if kicker in PLACES and rng.random() < 0.7 else []
        tags += rng.choices(PLACES, cum_weights=self.place_weights, k=rng.randint(0, 2))
        tags += rng.choices(self.tags, cum_weights=self.tag_weights, k=rng.randint(1, 4))
        return list(dict.fromkeys(tags))  # in order, without repeats

    def _teaser(self, head: Head) -> list[str]:
        title = head.title + (" Bericht" if head.bericht else "")
        lines = [f"{head.kicker}: {title}", f"[{_day(head.day)}] {head.lead} mehr..."]
        if head.caption and self.rng.random() < 0.95:  # a few pages drop the caption
            lines.append(head.caption)
        return lines

    def _vendors(self, section: str) -> list[str]:
        rng = self.rng
        lines = [f"Ausgewählte Anbieter aus dem Bereich {section}:"] if rng.random() < 0.5 else []
        for number, (name, postcode, city) in enumerate(rng.sample(VENDORS, rng.randint(1, 4))):
            glued = "IT-Guide Plus" if number == 0 and rng.random() < 0.3 else ""
            lines += [glued + name, f"{postcode} {city}", name]
        return lines


def _day(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"  # not zero-padded, as in the seeds
