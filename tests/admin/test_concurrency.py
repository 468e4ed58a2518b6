"""Two editors, one article: a save against a newer version is refused, nothing is lost."""

import pytest

from articles.models import Article, Tag
from tests.admin.conftest import logged_in
from tests.admin.helpers import change_form_data, change_url
from tests.factories import make_article, make_municipality, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    # A draft: Redaktion saves it directly (a live article would wait for approval).
    return make_article(title="Digitaler Masterplan", lead="Alter Vorspann.", status="draft")


def conflict_page_post(response, **choices) -> dict:
    """What the conflict page posts when the editor picks `choices` and resubmits."""
    data = {}
    for key, value in response.context["hidden"]:
        data.setdefault(key, []).append(value)
    data.update({f"_choose__{name}": choice for name, choice in choices.items()})
    data["_continue"] = "1"
    return data


def test_the_second_save_from_an_older_form_is_refused_and_writes_nothing(
    redaktion, chefredaktion, article
):
    first = change_form_data(chefredaktion, article, lead="Neuer Vorspann.")
    second = change_form_data(redaktion, article, title="Neuer Titel")
    assert chefredaktion.post(change_url(article), first).status_code == 302
    response = redaktion.post(change_url(article), second)
    assert response.status_code == 409
    assert "Bearbeitungskonflikt" in response.text
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Digitaler Masterplan", "Neuer Vorspann.")
    assert article.edited_fields == ["lead"]


def test_the_conflict_page_shows_field_by_field_who_changed_what(redaktion, chefredaktion, article):
    first = change_form_data(chefredaktion, article, lead="Neuer Vorspann.")
    second = change_form_data(redaktion, article, title="Neuer Titel")
    chefredaktion.post(change_url(article), first)
    rows = {row["name"]: row for row in redaktion.post(change_url(article), second).context["rows"]}
    assert set(rows) == {"lead", "title"}
    assert (rows["lead"]["kind"], rows["lead"]["theirs"]) == ("theirs", "Neuer Vorspann.")
    assert (rows["title"]["kind"], rows["title"]["mine"]) == ("mine", "Neuer Titel")
    assert rows["title"]["base"] == "Digitaler Masterplan"


def test_the_page_names_who_saved_in_between(redaktion, chefredaktion, article):
    first = change_form_data(chefredaktion, article, lead="Neuer Vorspann.")
    second = change_form_data(redaktion, article, title="Neuer Titel")
    chefredaktion.post(change_url(article), first)
    assert "chefin am" in redaktion.post(change_url(article), second).context["changed_by"]


def test_reapplying_my_changes_keeps_what_the_other_editor_saved(redaktion, chefredaktion, article):
    first = change_form_data(chefredaktion, article, lead="Neuer Vorspann.")
    second = change_form_data(redaktion, article, title="Neuer Titel")
    chefredaktion.post(change_url(article), first)
    conflict = redaktion.post(change_url(article), second)
    assert redaktion.post(change_url(article), conflict_page_post(conflict)).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Neuer Titel", "Neuer Vorspann.")
    assert article.edited_fields == ["lead", "title"]


@pytest.mark.parametrize(("choice", "title"), [("mine", "Mein Titel"), ("theirs", "Ihr Titel")])
def test_a_field_both_changed_takes_the_value_the_editor_chooses(
    redaktion, chefredaktion, article, choice, title
):
    first = change_form_data(chefredaktion, article, title="Ihr Titel", lead="Neuer Vorspann.")
    second = change_form_data(redaktion, article, title="Mein Titel", kicker="Kreis Unna")
    chefredaktion.post(change_url(article), first)
    conflict = redaktion.post(change_url(article), second)
    assert [row["name"] for row in conflict.context["rows"] if row["kind"] == "both"] == ["title"]
    redaktion.post(change_url(article), conflict_page_post(conflict, title=choice))
    article.refresh_from_db()
    assert (article.title, article.lead, article.kicker) == (
        title,
        "Neuer Vorspann.",
        "Kreis Unna",
    )


def test_relations_and_links_changed_in_between_are_kept(redaktion, chefredaktion, article):
    unna = make_municipality("Kreis Unna")
    first = change_form_data(
        chefredaktion,
        article,
        municipalities=[str(unna.pk)],
        **{
            "links-TOTAL_FORMS": "1",
            "links-0-url": "https://www.kreis-unna.de/",
            "links-0-label": "Kreis Unna",
            "links-0-position": "0",
        },
    )
    second = change_form_data(redaktion, article, title="Neuer Titel")
    chefredaktion.post(change_url(article), first)
    conflict = redaktion.post(change_url(article), second)
    assert {row["name"] for row in conflict.context["rows"]} == {"municipalities", "links", "title"}
    redaktion.post(change_url(article), conflict_page_post(conflict))
    article.refresh_from_db()
    assert article.title == "Neuer Titel"
    assert list(article.municipalities.all()) == [unna]
    assert list(article.links.values_list("url", flat=True)) == ["https://www.kreis-unna.de/"]


def test_a_change_the_import_wrote_in_between_is_a_conflict_too(redaktion, article):
    stale = change_form_data(redaktion, article, title="Neuer Titel")
    Article.objects.filter(pk=article.pk).update(lead="Vom Import.")  # no signals, no history
    assert redaktion.post(change_url(article), stale).status_code == 409
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Digitaler Masterplan", "Vom Import.")


def test_saving_twice_from_fresh_forms_is_no_conflict(redaktion, article):
    assert (
        redaktion.post(
            change_url(article), change_form_data(redaktion, article, title="A")
        ).status_code
        == 302
    )
    assert (
        redaktion.post(
            change_url(article), change_form_data(redaktion, article, title="B")
        ).status_code
        == 302
    )
    article.refresh_from_db()
    assert article.title == "B"


def test_a_forged_token_is_no_way_around_the_form(redaktion, article):
    data = change_form_data(redaktion, article, title="Neuer Titel")
    data["loaded_state"] = "forged"
    assert redaktion.post(change_url(article), data).status_code == 302  # saved as before


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (lambda: Tag.objects.create(name="OZG"), "name"),
        (lambda: make_section("Politik"), "description"),
        (lambda: make_municipality("Kreis Unna"), "official_name"),
    ],
)
def test_tags_sections_and_places_refuse_a_stale_save_too(chefredaktion_user, factory, field):
    obj = factory()
    chefredaktion, other = logged_in(chefredaktion_user), logged_in(chefredaktion_user)
    first = change_form_data(chefredaktion, obj, **{field: "Erste Fassung"})
    second = change_form_data(other, obj, **{field: "Zweite Fassung"})
    assert chefredaktion.post(change_url(obj), first).status_code == 302
    response = other.post(change_url(obj), second)
    assert response.status_code == 409
    obj.refresh_from_db()
    assert getattr(obj, field) == "Erste Fassung"
