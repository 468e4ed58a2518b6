"""articles.search.highlight.snippet: a window of the text around its first match."""

from unittest import mock

from articles.search.highlight import SNIPPET_WORDS, Highlighter, snippet
from articles.search.text import fold

FILLER = " ".join(f"wort{number}" for number in range(100))


def test_the_window_starts_a_little_before_the_first_match_and_marks_every_match():
    text = f"{FILLER} Cloud und noch einmal Cloud {FILLER}"
    shown = snippet(text, {"cloud"}, set())
    assert shown.startswith("… wort90 ")
    assert shown.count("<mark>Cloud</mark>") == 2
    assert shown.endswith(" …")


def test_a_text_without_a_match_shows_its_beginning():
    shown = snippet(FILLER, {"cloud"}, set())
    assert shown.startswith("wort0 ")
    assert len(shown.split()) == SNIPPET_WORDS + 1  # and the trailing ellipsis


def test_a_prefix_marks_every_word_it_begins():
    shown = snippet("Digitalisierung und digitale Dienste", set(), {"digital"})
    assert shown == "<mark>Digitalisierung</mark> und <mark>digitale</mark> Dienste"


def test_a_match_beyond_the_window_is_not_marked():
    text = "Cloud " + FILLER + " Cloud"
    assert snippet(text, {"cloud"}, set()).count("<mark>") == 1


def test_the_text_is_escaped_before_it_is_marked():
    shown = snippet("Die <b>Cloud</b> & mehr", {"cloud"}, set())
    assert shown == "Die &lt;b&gt;<mark>Cloud</mark>&lt;/b&gt; &amp; mehr"


def test_one_highlighter_folds_each_distinct_word_once_for_all_results():
    highlighter = Highlighter({"cloud"}, set())
    with mock.patch("articles.search.highlight.fold", wraps=fold) as folding:
        highlighter.snippet("Die Cloud der Stadt")
        highlighter.snippet("Die Cloud der Stadt und des Kreises")
    assert folding.call_count == len({"Die", "Cloud", "der", "Stadt", "und", "des", "Kreises"})


def test_a_text_that_begins_with_punctuation_shows_it_from_its_first_word():
    shown = snippet("„<Cloud>“ im Kreis", {"cloud"}, set())
    assert shown == "<mark>Cloud</mark>&gt;“ im Kreis"


def test_the_window_starts_before_the_earliest_of_several_matching_words():
    text = f"{FILLER} Rechenzentrum {FILLER} Cloud"
    shown = snippet(text, {"cloud", "rechenzentrum"}, set())
    assert shown.startswith("… wort90 ")
    assert "<mark>Rechenzentrum</mark>" in shown


def test_a_snippet_is_the_same_for_the_same_text_on_a_later_result():
    highlighter = Highlighter({"cloud"}, set())
    first = highlighter.snippet("Die Cloud der Stadt")
    assert highlighter.snippet("Die Cloud der Stadt") == first == "Die <mark>Cloud</mark> der Stadt"
