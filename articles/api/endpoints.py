"""The operations of /api/v1/: each reads through queries.py and answers through
representation.py; unknown query parameters are refused, not ignored."""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from ninja import Path, Query

from articles.api import schemas
from articles.api.api import api
from articles.api.fragments import article_fragments, article_response, page_response
from articles.api.paging import Keyset, PageParams
from articles.api.problems import ApiProblem
from articles.api.queries import (
    filtered_articles,
    municipalities,
    municipality,
    public_articles,
    section_by_slug,
    sections,
    tag_by_slug,
    tags,
    vendors,
)
from articles.api.representation import Representation
from articles.models import SlugRedirect

NEWEST_FIRST = Keyset("-published_at", "-pk")
BY_NAME = Keyset("name", "pk")
ERRORS = {400: schemas.Problem, 404: schemas.Problem}


def accept_only(request, *parameter_sets) -> None:
    """400 for a query parameter the operation does not know: a misspelt filter would
    otherwise return everything, unfiltered, and look right."""
    known = {name for parameters in parameter_sets for name in parameters.model_fields}
    unknown = sorted(set(request.GET) - known)
    if unknown:
        allowed = ", ".join(sorted(known)) or "keine"
        raise ApiProblem(
            400,
            f"Unbekannte Parameter: {', '.join(unknown)}. Erlaubt sind: {allowed}.",
            errors=[{"parameter": name, "detail": "ist unbekannt"} for name in unknown],
        )


def _slug_path(description: str, example: str):
    return Path(
        ...,
        max_length=255,
        pattern=schemas.SLUG_PATTERN,
        description=description,
        examples=[example],
    )


@api.get(
    "/articles",
    response={200: schemas.Page[schemas.Article], **ERRORS},
    url_name="articles",
    summary="Artikel",
    description="Die veröffentlichten Artikel, die neuesten zuerst, gefiltert wie die Liste "
    "der Website. Filter wirken zusammen (und).",
    tags=["Artikel"],
)
def list_articles(request, filters: Query[schemas.ArticleFilters], paging: Query[PageParams]):
    accept_only(request, schemas.ArticleFilters, PageParams)
    rows = filtered_articles(filters).select_related(None).only("pk", "published_at")
    page = NEWEST_FIRST.page(rows, paging, request)
    return page_response(page, article_fragments(request, page.items))


@api.get(
    "/articles/{slug}",
    response={200: schemas.Article, **ERRORS},
    url_name="article",
    summary="Ein Artikel",
    description="Ein veröffentlichter Artikel. Unter einem früheren Kurznamen leitet die "
    "API dauerhaft (301) zum heutigen weiter.",
    tags=["Artikel"],
    openapi_extra={"responses": {"301": {"description": "Der Artikel heißt jetzt anders."}}},
)
def get_article(
    request, slug: str = _slug_path("Der Kurzname des Artikels.", "digital-mit-strategie")
):
    accept_only(request)
    article = public_articles().select_related(None).only("pk").filter(slug=slug).first()
    if article is None:
        redirect = (
            SlugRedirect.objects.filter(old_slug=slug, article__in=public_articles())
            .select_related("article")
            .first()
        )
        if redirect is None:
            raise ApiProblem(404, f"Einen veröffentlichten Artikel „{slug}“ gibt es nicht.")
        target = reverse("api-v1:article", kwargs={"slug": redirect.article.slug})
        return HttpResponsePermanentRedirect(target)
    for fragment in article_fragments(request, [article]):
        return article_response(fragment)
    raise ApiProblem(404, f"Einen veröffentlichten Artikel „{slug}“ gibt es nicht.")


@api.get(
    "/sections",
    response={200: list[schemas.Section], 400: schemas.Problem},
    url_name="sections",
    summary="Bereiche",
    tags=["Ordnung"],
)
def list_sections(request):
    accept_only(request)
    represent = Representation(request).section
    return [represent(section) for section in sections()]


@api.get(
    "/sections/{slug}",
    response={200: schemas.Section, **ERRORS},
    url_name="section",
    summary="Ein Bereich",
    tags=["Ordnung"],
)
def get_section(request, slug: str = _slug_path("Der Kurzname des Bereichs.", "politik")):
    accept_only(request)
    section = section_by_slug(slug, sections())
    return Representation(request).section(section)


@api.get(
    "/tags",
    response={200: schemas.Page[schemas.Tag], **ERRORS},
    url_name="tags",
    summary="Themen",
    description="Die Themen (Stichwörter), nach Namen geordnet.",
    tags=["Ordnung"],
)
def list_tags(request, paging: Query[PageParams]):
    accept_only(request, PageParams)
    return BY_NAME.page(tags(), paging, request).as_dict(Representation(request).tag)


@api.get(
    "/tags/{slug}",
    response={200: schemas.Tag, **ERRORS},
    url_name="tag",
    summary="Ein Thema",
    tags=["Ordnung"],
)
def get_tag(request, slug: str = _slug_path("Der Kurzname des Themas.", "ozg")):
    accept_only(request)
    tag = tag_by_slug(slug, tags())
    return Representation(request).tag(tag)


@api.get(
    "/municipalities",
    response={200: schemas.Page[schemas.Municipality], **ERRORS},
    url_name="municipalities",
    summary="Orte",
    description="Länder, Kreise, Städte und Gemeinden des Gemeindeverzeichnisses und "
    "Organisationen, über die berichtet wird; nach Namen geordnet.",
    tags=["Orte"],
)
def list_municipalities(
    request, filters: Query[schemas.MunicipalityFilters], paging: Query[PageParams]
):
    accept_only(request, schemas.MunicipalityFilters, PageParams)
    page = BY_NAME.page(municipalities(filters), paging, request)
    return page.as_dict(Representation(request).municipality)


@api.get(
    "/municipalities/{key}",
    response={200: schemas.Municipality, **ERRORS},
    url_name="municipality",
    summary="Ein Ort",
    description="Ein Ort nach amtlichem Schlüssel (AGS, z. B. 05978) oder Kurznamen.",
    tags=["Orte"],
)
def get_municipality(
    request,
    key: str = Path(
        ...,
        max_length=160,
        pattern=schemas.KEY_PATTERN,
        description="AGS oder Kurzname.",
        examples=["05978"],
    ),
):
    accept_only(request)
    return Representation(request).municipality(municipality(key))


@api.get(
    "/vendors",
    response={200: schemas.Page[schemas.Vendor], **ERRORS},
    url_name="vendors",
    summary="Anbieter",
    description="Anbieter aus den Bereichen der Website, nach Namen geordnet.",
    tags=["Ordnung"],
)
def list_vendors(request, filters: Query[schemas.VendorFilters], paging: Query[PageParams]):
    accept_only(request, schemas.VendorFilters, PageParams)
    page = BY_NAME.page(vendors(filters), paging, request)
    return page.as_dict(Representation(request).vendor)
