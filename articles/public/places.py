"""Places as readers think of them: a place's page gathers the news of everything below
it, lists the places below that have news, and speaks of the place in German.

Every function here costs a fixed number of queries, whatever the archive or the
register holds.
"""

from django.db.models import Exists, OuterRef

from articles.models import Article, Municipality, MunicipalityAlias, municipalities_below
from articles.register.grammar import kind_label, news_from, place_phrase
from articles.register.resolve import Candidate, choose
from articles.text import match_key

Kind = Municipality.Kind
# Below a Land or a Regierungsbezirk the page lists Kreise and kreisfreie Städte (the
# register's keys nest: the first five digits of a Gemeinde's key are its Kreis's).
KREIS_LEVEL = (Kind.KREIS, Kind.KREISFREIE_STADT)
KREIS_KEY_LENGTH = 5
_LISTS_KREISE = (Kind.LAND, Kind.REGIERUNGSBEZIRK)


def articles_about(place: Municipality):
    """The public articles about `place` or anything below it, newest first."""
    return Article.objects.published().listed().about_place(place)


def places_below_with_news(place: Municipality) -> list[Municipality]:
    """The places one reader's step below `place` that have public news, by name: a
    Land's (or Regierungsbezirk's) Kreise and kreisfreie Städte with news about them or
    their Gemeinden; a Kreis's (or Verband's) Städte, Gemeinden and Verbände with news.
    Two queries below a Kreis or a Land. Each place of the register below is
    probed for one public article (its link rows' index, then the article by key): the
    cost follows the register, never the archive."""
    with_news = Exists(Article.objects.published().filter(municipalities=OuterRef("pk")))
    if place.ags and place.kind in _LISTS_KREISE:
        keys = (
            Municipality.objects.filter(ags__startswith=place.ags)
            .filter(with_news)
            .values_list("ags", flat=True)
        )
        kreis_keys = {key[:KREIS_KEY_LENGTH] for key in keys if len(key) >= KREIS_KEY_LENGTH}
        if not kreis_keys:
            return []
        return list(
            Municipality.objects.filter(ags__in=kreis_keys, kind__in=KREIS_LEVEL).order_by("name")
        )
    # The keys first: given the places below as a subquery, PostgreSQL expects thousands
    # and joins every public article with its links (a second at 100,000 articles).
    below = list(municipalities_below(place).values_list("pk", flat=True))
    if not below:
        return []
    return list(Municipality.objects.filter(pk__in=below).filter(with_news).order_by("name"))


def below_heading(place: Municipality) -> str:
    if place.kind in _LISTS_KREISE:
        return "Kreise und kreisfreie Städte mit Nachrichten"
    if place.kind in (Kind.KREIS, Kind.GEMEINDEVERBAND):
        return "Städte und Gemeinden mit Nachrichten"
    return "Zugehörige Orte mit Nachrichten"


def place_context(place: Municipality) -> dict:
    """What the place page says about the place itself, in German."""
    about = place_phrase("über", place)
    return {
        "place_label": kind_label(place),
        "news_heading": f"Nachrichten {news_from(place)}",
        "empty_message": f"{about[0].upper()}{about[1:]} gibt es noch keine Artikel.",
        "below_heading": below_heading(place),
        "embed_subject": news_from(place),  # "Zeigen Sie die neuesten Nachrichten aus …"
    }


def place_named_by(tag) -> Municipality | None:
    """The register place a tag names ("Kyffhäuserkreis", "Freistaat Thüringen"), if
    the name is clearly one place (articles.register.resolve's rules) and that place
    has public news; otherwise None. Three queries at most."""
    aliases = MunicipalityAlias.objects.filter(key=match_key(tag.name)).exclude(
        municipality__ags=""
    )
    found = aliases.select_related("municipality")
    places = {alias.municipality_id: alias.municipality for alias in found}
    chosen = choose(
        [Candidate(place.pk, place.kind, place.population or 0) for place in places.values()]
    )
    if chosen is None:
        return None
    place = places[chosen]
    return place if Article.objects.published().about_place(place).exists() else None


def tag_place_link(tag) -> dict | None:
    """The link a tag's page gives to the place the tag names, or None."""
    place = place_named_by(tag)
    if place is None:
        return None
    return {"url": place.get_absolute_url(), "text": f"Alle Nachrichten {news_from(place)}"}
