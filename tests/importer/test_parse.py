"""parse_page, one behaviour per test, on small pages cut from the seeds."""

import datetime as dt

import pytest

from articles.importer.parse import (
    BERICHT,
    INTERTITLE,
    MELDUNG,
    PARAGRAPH,
    Block,
    Link,
    PageParseError,
    Vendor,
    parse_page,
)

NBSP = "\xa0"

# Seed 000, shortened.
HEAD = (
    "Kreis Unna:\n"
    "Digitaler Masterplan\n"
    "\n"
    "\n"
    "[8.7.2019] Anhand eines digitalen Masterplans soll die Kreisverwaltung Unna umgebaut werden.\n"
    "\n"
)
P1 = (
    "Einen Digitalen Masterplan 2019-2022 hat jetzt der Kreis Unna vorgestellt. Wie die "
    "nordrhein-westfälische Kommune mitteilt, soll die Kreisverwaltung umgebaut werden."
)
P2 = "Wie die Kommune weiter berichtet, ist der Masterplan Ende Mai vorgestellt worden."
P3 = "Die Beschlussfassung für den digitalen Masterplan ist für den 8. Oktober 2019 vorgesehen."
LINKS = "\nhttps://www.kreis-unna.de\n\n"
KEYWORDS = "Stichwörter: Politik, Kreis Unna, Digitalisierung\n"
PRINT_BAR = f"Druckversion{NBSP}{NBSP}{NBSP} PDF{NBSP}{NBSP}{NBSP} Link mailen\n"

# Seed 001, shortened: the page with an image caption, a credit and a link label.
LEER = (
    "Kreis Leer:\n"
    "Amt für Digitalisierung in Planung\n"
    "\n"
    "\n"
    "[6.9.2017] Der Kreis Leer will digitale Themen künftig in einem eigenen Amt bündeln.\n"
    "\n"
    "Kreis Leer startet die „Initiative Digital“. \n"
    "Die Digitalisierung wird nach Angaben von Landrat Matthias Groote zu einem "
    "Schwerpunkt-Thema für den Landkreis Leer in Niedersachsen. (bs)\n"
    "\n"
    "http://www.landkreis-leer.de\n"
    "Mehr Informationen zur Initiative Digital (Deep Link)\n"
    "\n"
    "Stichwörter: Politik, Kreis Leer\n"
    "\n"
    "Bildquelle: Kreis Leer\n"
    "\n" + PRINT_BAR
)

# Seed 000's related news, shortened.
RELATED = (
    "Weitere Meldungen und Beiträge aus dem Bereich Politik\n"
    "Düsseldorf: Digitalstrategie neu ausgerichtet\n"
    "[23.4.2024] Düsseldorf hat seine Digitalstrategie neu ausgerichtet. mehr...\n"
    "Die Stadt Düsseldorf hat ihre Digitalstrategie neu ausgerichtet.\n"
    "Chief Digital Officer: Mädchen für alles Bericht\n"
    "[9.4.2024] Immer mehr Kommunen richten die Stelle eines CDO ein. mehr...\n"
    "CDOs sind oft mit einer Fülle an Aufgaben konfrontiert.\n"
    "NKR: One-Stop-Shop für Sozialleistungen\n"
    "[3.4.2024] Um den Aufwand zu reduzieren, ist mehr Mut zur Digitalisierung nötig. mehr...\n"
    "OZG 2.0: Zentralisierung als Hemmnis oder Chance?\n"
    "[28.3.2024] Wie wird das Scheitern des OZG-Änderungsgesetzes eingeordnet? mehr...\n"
    "Suchen...\n"
)

# Seed 004's trailer: vendors without an "Ausgewählte Anbieter" header.
HEADLESS_VENDORS = (
    "Aboverwaltung\n"
    "\n"
    "Abbonement kuendigen\n"
    "IT-Guide PlusCC e-gov GmbH\n"
    "20097 Hamburg\n"
    "CC e-gov GmbH\n"
    "TSA Public Service GmbH\n"
    "06108 Halle (Saale)\n"
    "TSA Public Service GmbH\n"
    "Aktuelle Meldungen"
)


def page(*body, tail=LINKS + KEYWORDS, head=HEAD):
    """A page: HEAD, the given body lines, then links and keywords."""
    return head + "\n".join(body) + "\n" + tail


def messages(parsed):
    return [warning.message for warning in parsed.warnings]


def texts(parsed):
    return [block.text for block in parsed.body]


# --- header ---------------------------------------------------------------------------------


def test_kicker_loses_its_colon():
    assert parse_page(page(P1)).kicker == "Kreis Unna"


def test_title_is_the_second_line():
    assert parse_page(page(P1)).title == "Digitaler Masterplan"


def test_page_is_a_meldung_by_default():
    assert parse_page(page(P1)).kind == MELDUNG


def test_title_ending_in_bericht_marks_a_report():
    parsed = parse_page(page(P1, head=HEAD.replace("Masterplan\n", "Masterplan Bericht\n", 1)))
    assert (parsed.title, parsed.kind) == ("Digitaler Masterplan", BERICHT)


def test_date_without_zero_padding():
    assert parse_page(page(P1)).published == dt.date(2019, 7, 8)


def test_lead_is_the_text_after_the_date():
    assert parse_page(page(P1)).lead == (
        "Anhand eines digitalen Masterplans soll die Kreisverwaltung Unna umgebaut werden."
    )


def test_kicker_and_title_on_one_line_are_split_with_warning():
    parsed = parse_page(page(P1, head=HEAD.replace(":\n", ": ", 1)))
    assert (parsed.kicker, parsed.title) == ("Kreis Unna", "Digitaler Masterplan")
    assert "kicker and title on one line; split at the first ': '" in messages(parsed)


# --- line endings and drift -----------------------------------------------------------------


def test_crlf_page_parses_like_lf():
    text = page(P1, P2)
    assert parse_page(text.replace("\n", "\r\n")) == parse_page(text)


def test_cr_only_page_parses_like_lf():
    text = page(P1, P2)
    assert parse_page(text.replace("\n", "\r")) == parse_page(text)


def test_bom_character_is_ignored():
    text = page(P1, P2)
    assert parse_page("\ufeff" + text) == parse_page(text)


def test_extra_blank_lines_and_spaces_are_tolerated():
    text = (
        "\n\n  Kreis Unna:  \n\nDigitaler   Masterplan \n\n\n\n"
        "[8.7.2019]   Anhand eines digitalen Masterplans soll die Kreisverwaltung Unna umgebaut "
        "werden.\n\n\n" + P1 + "\n\n\n\n" + P2 + "\n\n\n" + KEYWORDS + "\n\n"
    )
    plain = parse_page(page(P1, P2))
    parsed = parse_page(text)
    assert (parsed.kicker, parsed.title, parsed.lead) == (plain.kicker, plain.title, plain.lead)
    assert parsed.body == plain.body
    assert parsed.warnings == ()


# --- image caption --------------------------------------------------------------------------


def test_short_line_after_lead_is_the_caption():
    assert parse_page(LEER).image_caption == "Kreis Leer startet die „Initiative Digital“."


def test_caption_is_not_part_of_the_body():
    assert texts(parse_page(LEER))[0].startswith("Die Digitalisierung wird")


def test_caption_without_credit_is_known_by_its_trailing_space():
    parsed = parse_page(LEER.replace("Bildquelle: Kreis Leer\n", ""))
    assert parsed.image_caption == "Kreis Leer startet die „Initiative Digital“."


def test_no_caption_when_nothing_hints_at_an_image():
    text = LEER.replace("Digital“. \n", "Digital“.\n").replace("Bildquelle: Kreis Leer\n", "")
    parsed = parse_page(text)
    assert parsed.image_caption == ""
    assert texts(parsed)[0] == "Kreis Leer startet die „Initiative Digital“."


def test_long_first_paragraph_is_body_even_with_a_credit():
    parsed = parse_page(page(P1 * 2, P2, tail=LINKS + KEYWORDS + "\nBildquelle: krz\n"))
    assert parsed.image_caption == ""
    assert texts(parsed)[0] == P1 * 2


def test_short_only_paragraph_is_body_not_caption():
    parsed = parse_page(page("Kurz und knapp. ", tail=LINKS + KEYWORDS + "Bildquelle: krz\n"))
    assert parsed.image_caption == ""
    assert texts(parsed) == ["Kurz und knapp."]


# --- body -----------------------------------------------------------------------------------


def test_each_line_is_a_paragraph():
    parsed = parse_page(page(P1, P2, P3))
    assert parsed.body == (Block(PARAGRAPH, P1), Block(PARAGRAPH, P2), Block(PARAGRAPH, P3))


def test_blank_lines_between_paragraphs_are_allowed():
    assert texts(parse_page(page(P1, "", "", P2))) == [P1, P2]


def test_short_line_between_blank_lines_is_an_intertitle():
    parsed = parse_page(page(P1, "", "IT-Sicherheit verstärkt", "", P2))
    assert parsed.body[1] == Block(INTERTITLE, "IT-Sicherheit verstärkt")


def test_short_line_without_blank_lines_is_a_paragraph():
    parsed = parse_page(page(P1, "IT-Sicherheit verstärkt", P2))
    assert parsed.body[1] == Block(PARAGRAPH, "IT-Sicherheit verstärkt")


def test_short_line_without_blank_line_after_is_a_paragraph():
    parsed = parse_page(page(P1, "", "IT-Sicherheit verstärkt", P2))
    assert parsed.body[1] == Block(PARAGRAPH, "IT-Sicherheit verstärkt")


def test_short_line_with_closing_punctuation_is_a_paragraph():
    parsed = parse_page(page(P1, "", "So weit der Plan.", "", P2))
    assert parsed.body[1] == Block(PARAGRAPH, "So weit der Plan.")


def test_short_last_line_is_a_paragraph_not_an_intertitle():
    parsed = parse_page(page(P1, "", "Ein Ausblick"))
    assert parsed.body[-1] == Block(PARAGRAPH, "Ein Ausblick")


def test_author_initials_leave_the_last_paragraph():
    parsed = parse_page(page(P1, P3 + " (ve)"))
    assert parsed.author_initials == "ve"
    assert parsed.body[-1].text == P3


def test_three_letter_initials():
    assert parse_page(page(P1, P3 + " (sib)")).author_initials == "sib"


def test_initials_after_a_closing_quote():
    parsed = parse_page(page(P1, "„Eine Steuerung ist daher von großem Vorteil.“ (bs)"))
    assert parsed.author_initials == "bs"
    assert parsed.body[-1].text == "„Eine Steuerung ist daher von großem Vorteil.“"


def test_uppercase_abbreviation_is_not_initials():
    parsed = parse_page(page(P1, "Betroffen war der IT-Dienstleister Südwestfalen-IT (SIT)"))
    assert parsed.author_initials == ""
    assert parsed.body[-1].text.endswith("(SIT)")


def test_ad_inside_the_body_is_dropped():
    parsed = parse_page(page(P1, f"{NBSP}Anzeige", "zk2020", P2))
    assert texts(parsed) == [P1, P2]


# --- links ----------------------------------------------------------------------------------


def test_url_lines_become_links():
    parsed = parse_page(
        page(P1, tail="\nhttps://www.kreis-unna.de\nhttp://www.krz.de\n" + KEYWORDS)
    )
    assert parsed.links == (Link("https://www.kreis-unna.de"), Link("http://www.krz.de"))


def test_label_line_is_a_link_without_url():
    assert parse_page(LEER).links == (
        Link("http://www.landkreis-leer.de"),
        Link(url="", label="Mehr Informationen zur Initiative Digital (Deep Link)"),
    )


def test_javascript_link_is_dropped_with_warning():
    tail = "\njavascript:alert('x')\nhttps://www.kreis-unna.de\n\n" + KEYWORDS
    parsed = parse_page(page(P1, tail=tail))
    assert parsed.links == (Link("https://www.kreis-unna.de"),)
    assert (9, "dropped link with unsupported scheme 'javascript:': 'javascript:alert('x')'") in [
        (warning.line, warning.message) for warning in parsed.warnings
    ]


@pytest.mark.parametrize(
    "line",
    [
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://ftp.kreis-unna.de/plan.pdf",
        "VBScript:msgbox(1)",
    ],
)
def test_other_schemes_are_dropped_with_warning(line):
    parsed = parse_page(page(P1, tail=f"\n{line}\n\n" + KEYWORDS))
    assert parsed.links == ()
    assert any("unsupported scheme" in message for message in messages(parsed))


def test_link_lines_end_the_body():
    parsed = parse_page(page(P1, tail="https://www.kreis-unna.de\nMehr zum Plan\n" + KEYWORDS))
    assert texts(parsed) == [P1]
    assert parsed.links[-1] == Link("", "Mehr zum Plan")


# --- keywords and credit --------------------------------------------------------------------


def test_first_keyword_is_the_section():
    assert parse_page(page(P1)).section == "Politik"


def test_other_keywords_are_tags_in_order():
    assert parse_page(page(P1)).tags == ("Kreis Unna", "Digitalisierung")


def test_tags_keep_parentheses():
    tail = "\nStichwörter: Politik, Südwestfalen-IT (SIT), Märkischer Kreis, PD\n"
    assert parse_page(page(P1, tail=tail)).tags == (
        "Südwestfalen-IT (SIT)",
        "Märkischer Kreis",
        "PD",
    )


def test_tags_are_deduplicated_case_insensitively():
    tail = "\nStichwörter: Politik, OZG, Kreis Unna, ozg, , Kreis  Unna\n"
    assert parse_page(page(P1, tail=tail)).tags == ("OZG", "Kreis Unna")


def test_empty_first_keyword_leaves_the_section_empty_with_warning():
    parsed = parse_page(page(P1, tail="\nStichwörter: , Kreis Unna\n"))
    assert (parsed.section, parsed.tags) == ("", ("Kreis Unna",))
    assert "Stichwörter line names no section" in messages(parsed)


def test_bildquelle_is_the_image_credit():
    assert parse_page(LEER).image_credit == "Kreis Leer"


def test_page_without_credit_has_an_empty_credit():
    parsed = parse_page(page(P1))
    assert parsed.image_credit == ""
    assert parsed.warnings == ()


# --- related news ---------------------------------------------------------------------------


def related_page(related=RELATED):
    return page(P1, tail=LINKS + KEYWORDS + "\n" + PRINT_BAR + "\n" + related)


def test_teasers_are_read_in_order():
    parsed = parse_page(related_page())
    assert [t.title for t in parsed.teasers] == [
        "Digitalstrategie neu ausgerichtet",
        "Mädchen für alles",
        "One-Stop-Shop für Sozialleistungen",
        "Zentralisierung als Hemmnis oder Chance?",
    ]


def test_teaser_head_splits_at_the_first_colon():
    related = RELATED.replace("OZG 2.0: Zentralisierung", "Serie OZG: Teil 2: Zentralisierung")
    teaser = parse_page(related_page(related)).teasers[-1]
    assert (teaser.kicker, teaser.title) == (
        "Serie OZG",
        "Teil 2: Zentralisierung als Hemmnis oder Chance?",
    )


def test_teaser_kicker_loses_space_before_the_colon():
    related = RELATED.replace("NKR: One-Stop-Shop", "NKR : One-Stop-Shop")
    assert parse_page(related_page(related)).teasers[2].kicker == "NKR"


def test_teaser_title_ending_in_bericht_is_a_report():
    teaser = parse_page(related_page()).teasers[1]
    assert (teaser.kicker, teaser.title, teaser.kind) == (
        "Chief Digital Officer",
        "Mädchen für alles",
        BERICHT,
    )


def test_teaser_without_bericht_is_a_meldung():
    assert parse_page(related_page()).teasers[0].kind == MELDUNG


def test_teaser_date_and_lead_without_mehr():
    teaser = parse_page(related_page()).teasers[0]
    assert teaser.published == dt.date(2024, 4, 23)
    assert teaser.lead == "Düsseldorf hat seine Digitalstrategie neu ausgerichtet."


def test_teaser_caption_is_the_third_line():
    teaser = parse_page(related_page()).teasers[0]
    assert (
        teaser.image_caption == "Die Stadt Düsseldorf hat ihre Digitalstrategie neu ausgerichtet."
    )


def test_teaser_caption_is_optional():
    teasers = parse_page(related_page()).teasers
    assert (teasers[2].image_caption, teasers[3].image_caption) == ("", "")


def test_teaser_section_is_named_by_the_header():
    related = RELATED.replace("Bereich Politik", "Bereich Panorama")
    assert {t.section for t in parse_page(related_page(related)).teasers} == {"Panorama"}


def test_teaser_records_its_line_number():
    parsed = parse_page(related_page())
    head_line = related_page().split("\n").index("Düsseldorf: Digitalstrategie neu ausgerichtet")
    assert parsed.teasers[0].line == head_line + 1


def test_teaser_with_invalid_date_is_skipped_with_warning():
    parsed = parse_page(related_page(RELATED.replace("[23.4.2024]", "[31.2.2024]")))
    assert parsed.teasers[0].kicker == "Chief Digital Officer"
    assert any("invalid date '31.2.2024'" in message for message in messages(parsed))


# --- vendors --------------------------------------------------------------------------------


def vendor_page(trailer):
    return page(P1, tail=LINKS + KEYWORDS + "\nSuchen...\n" + trailer)


def test_vendors_under_their_header():
    trailer = (
        "Ausgewählte Anbieter aus dem Bereich Panorama:\n"
        "AIDA ORGA GmbH\n75391 Gechingen\nAIDA ORGA GmbH\n"
        "JCC Software\n48149 Münster\nJCC Software\n"
        "Aktuelle Meldungen"
    )
    assert parse_page(vendor_page(trailer)).vendors == (
        Vendor("AIDA ORGA GmbH", "75391", "Gechingen", "Panorama"),
        Vendor("JCC Software", "48149", "Münster", "Panorama"),
    )


def test_vendor_glued_label_gives_way_to_the_repeated_name():
    assert parse_page(vendor_page(HEADLESS_VENDORS)).vendors[0].name == "CC e-gov GmbH"


def test_vendors_without_header_take_the_page_section():
    assert {v.section for v in parse_page(vendor_page(HEADLESS_VENDORS)).vendors} == {"Politik"}


def test_vendor_city_may_have_parentheses():
    vendor = parse_page(vendor_page(HEADLESS_VENDORS)).vendors[1]
    assert (vendor.postcode, vendor.city) == ("06108", "Halle (Saale)")


def test_vendor_without_repeated_name_drops_the_known_label_and_warns():
    trailer = "IT-Guide PlusCC e-gov GmbH\n20097 Hamburg\nH+H Software GmbH\n37073 Göttingen\n"
    parsed = parse_page(vendor_page(trailer))
    assert [v.name for v in parsed.vendors] == ["CC e-gov GmbH", "H+H Software GmbH"]
    assert "vendor 'CC e-gov GmbH' has no repeated name line" in messages(parsed)


# --- furniture ------------------------------------------------------------------------------


def test_publisher_notice_is_dropped():
    notice = (
        "Aktuelle Information des Verlags\n\n\n"
        "In Zeiten der Corona-Pandemie werden wir aktuelle Ausgaben kostenfrei bereitstellen.\n\n"
        "Wir haben an dieser Stelle eine Bitte an Sie:\n"
        "Bitte prüfen Sie, ob Sie bereits ein Abonnement haben. Danke!\n\n"
        "Kommune21, Ausgabe 6/2021\nKommune21, Ausgabe 5/2021\n\n"
        "Ausgewählte Anbieter aus dem Bereich Panorama:\n"
        "JCC Software\n48149 Münster\nJCC Software\n"
    )
    parsed = parse_page(vendor_page(notice))
    assert parsed.warnings == ()
    assert parsed.vendors == (Vendor("JCC Software", "48149", "Münster", "Panorama"),)


def test_seed_trailer_furniture_gives_no_warnings():
    trailer = (
        f"{NBSP}Anzeige\n\n{NBSP}Anzeige\n\n\n\nAboverwaltung\n\n\n"
        "Abbonement kuendigen\n\nAbbonement kuendigen\nzk2020\nAktuelle Meldungen"
    )
    parsed = parse_page(related_page(RELATED + "\n" + trailer))
    assert parsed.warnings == ()


def test_unplaced_line_in_the_trailer_is_a_warning():
    parsed = parse_page(related_page(RELATED + "\nEin verirrter Satz ohne Ort.\n"))
    warning = parsed.warnings[-1]
    assert warning.message == "unplaced line: 'Ein verirrter Satz ohne Ort.'"
    assert related_page(RELATED + "\nEin verirrter Satz ohne Ort.\n").split("\n")[
        warning.line - 1
    ] == ("Ein verirrter Satz ohne Ort.")


# --- text cleanup ---------------------------------------------------------------------------


def test_control_characters_are_removed():
    parsed = parse_page(page("Einen Digitalen\x00 Master\x07plan\x1b hat\u200b jetzt der Kreis."))
    assert texts(parsed) == ["Einen Digitalen Masterplan hat jetzt der Kreis."]


def test_tab_and_space_runs_become_one_space():
    assert texts(parse_page(page("Vier\t Schwerpunkte  umfasst\u2003 der Plan."))) == [
        "Vier Schwerpunkte umfasst der Plan."
    ]


def test_nbsp_at_line_edges_and_in_runs_becomes_space():
    parsed = parse_page(page(f"{NBSP}Vier{NBSP}{NBSP}Schwerpunkte umfasst der Plan.{NBSP}"))
    assert texts(parsed) == ["Vier Schwerpunkte umfasst der Plan."]


def test_lone_nbsp_between_words_is_kept():
    parsed = parse_page(page(f"Am 30.{NBSP}August 2017 tagte der Kreis."))
    assert texts(parsed) == [f"Am 30.{NBSP}August 2017 tagte der Kreis."]


def test_typographic_quotes_and_dashes_are_kept():
    line = "„Hier wird angepackt“ – so Platzers Fazit… "
    assert texts(parse_page(page(line))) == [line.strip()]


def test_markup_is_kept_as_literal_text():
    line = "Der Kreis <script>alert('x')</script> &amp; <b>Unna</b>."
    parsed = parse_page(page(line, head=HEAD.replace("Digitaler", "<i>Digitaler</i>")))
    assert texts(parsed) == [line]
    assert parsed.title == "<i>Digitaler</i> Masterplan"


# --- limits ---------------------------------------------------------------------------------


def test_overlong_title_is_cut_with_warning():
    parsed = parse_page(page(P1, head=HEAD.replace("Digitaler Masterplan", "M" * 350)))
    assert parsed.title == "M" * 300
    assert "title cut to 300 characters (was 350)" in messages(parsed)


def test_overlong_kicker_is_cut_with_warning():
    parsed = parse_page(page(P1, head=HEAD.replace("Kreis Unna:", "K" * 250 + ":")))
    assert parsed.kicker == "K" * 200
    assert "kicker cut to 200 characters (was 250)" in messages(parsed)


def test_overlong_tag_is_cut_with_warning():
    parsed = parse_page(page(P1, tail=f"\nStichwörter: Politik, {'T' * 160}\n"))
    assert parsed.tags == ("T" * 150,)
    assert "tag cut to 150 characters (was 160)" in messages(parsed)


def test_overlong_credit_is_cut_with_warning():
    parsed = parse_page(LEER.replace("Bildquelle: Kreis Leer", "Bildquelle: " + "B" * 210))
    assert parsed.image_credit == "B" * 200
    assert "image credit cut to 200 characters (was 210)" in messages(parsed)


def test_overlong_link_label_is_cut_with_warning():
    label = "L" * 400 + " zur Initiative Digital"
    parsed = parse_page(
        LEER.replace("Mehr Informationen zur Initiative Digital (Deep Link)", label)
    )
    assert parsed.links[1] == Link(url="", label="L" * 300)
    assert f"link label cut to 300 characters (was {len(label)})" in messages(parsed)


# --- errors and cut-off pages ---------------------------------------------------------------


def test_empty_page_is_an_error():
    with pytest.raises(PageParseError) as caught:
        parse_page("", "empty.txt")
    assert (caught.value.line, caught.value.source) == (1, "empty.txt")


def test_furniture_only_page_is_an_error_at_the_furniture_line():
    with pytest.raises(PageParseError) as caught:
        parse_page(f"\n{NBSP}Anzeige\n\n" + PRINT_BAR + "Suchen...\nAboverwaltung\n")
    assert caught.value.line == 4
    assert caught.value.reason == "expected a kicker line, found 'Druckversion PDF Link mailen'"


def test_page_cut_before_the_lead_is_an_error():
    with pytest.raises(PageParseError) as caught:
        parse_page("Kreis Unna:\nDigitaler Masterplan\n\n\nSuchen...\n")
    assert caught.value.line == 5
    assert caught.value.reason == (
        "expected a dated lead '[d.m.yyyy] …' after the title, found 'Suchen...'"
    )


def test_page_ending_after_the_title_is_an_error():
    with pytest.raises(PageParseError) as caught:
        parse_page("Kreis Unna:\nDigitaler Masterplan\n")
    assert "expected a dated lead" in caught.value.reason


def test_page_without_title_is_an_error():
    with pytest.raises(PageParseError) as caught:
        parse_page("Kreis Unna:\n\n[8.7.2019] Anhand eines digitalen Masterplans.\n")
    assert caught.value.line == 3
    assert caught.value.reason.startswith("expected a title line after the kicker")


def test_invalid_date_is_an_error():
    with pytest.raises(PageParseError) as caught:
        parse_page(page(P1).replace("[8.7.2019]", "[31.2.2020]"))
    assert caught.value.line == 5
    assert "invalid date '31.2.2020'" in caught.value.reason


def test_error_text_is_source_line_reason():
    error = PageParseError("seeds/x.txt", 5, "expected a dated lead")
    assert str(error) == "seeds/x.txt:5: expected a dated lead"


def test_page_cut_off_after_the_lead_keeps_its_body_and_warns():
    text = HEAD + P1 + "\nWie die Kommune weiter ber"
    parsed = parse_page(text)
    assert texts(parsed) == [P1, "Wie die Kommune weiter ber"]
    assert parsed.warnings[-1].message == "page ends before the Stichwörter line"
    assert parsed.warnings[-1].line == 8
