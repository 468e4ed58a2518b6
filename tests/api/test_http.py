"""The API over HTTP: problem details, caching headers, CORS, the rate limit, the schema."""

import json
import re

import pytest
from django.test import override_settings

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_errors_are_problem_details(api):
    response = api("articles/gibt-es-nicht")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Nicht gefunden",
        "status": 404,
        "detail": "Einen veröffentlichten Artikel „gibt-es-nicht“ gibt es nicht.",
        "instance": "/api/v1/articles/gibt-es-nicht",
    }


def test_unknown_endpoint_is_a_problem_not_the_html_404(api):
    response = api("artikel")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_invalid_value_names_the_parameter_in_german(api):
    response = api("articles?year=zweitausend")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"parameter": "year", "detail": "ist keine ganze Zahl"}]


def test_writing_methods_are_not_allowed(client):
    response = client.post("/api/v1/articles")
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_response_carries_an_etag_and_answers_304(api):
    make_article()
    etag = api("articles")["ETag"]
    assert api("articles", if_none_match=etag).status_code == 304


@pytest.mark.django_db(transaction=True)  # the version rises per transaction
def test_etag_changes_when_an_article_changes(api):
    article = make_article(title="Alter Titel")
    etag = api("articles")["ETag"]
    article.title = "Neuer Titel"
    article.save()
    assert api("articles", if_none_match=etag).status_code == 200


def test_anonymous_responses_may_be_cached_briefly(api):
    assert api("articles")["Cache-Control"] == "public, max-age=60"


def test_repeated_request_is_served_from_the_page_cache(client, django_assert_num_queries):
    make_article()
    client.get("/api/v1/articles")
    with django_assert_num_queries(1):  # the content version
        assert client.get("/api/v1/articles").status_code == 200


def test_any_origin_may_read(api):
    response = api("articles", origin="https://www.kreis-unna.de")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_preflight_allows_get_with_if_none_match(client):
    response = client.options(
        "/api/v1/articles",
        headers={
            "origin": "https://www.kreis-unna.de",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_public_pages_offer_no_cors(client):
    response = client.get("/", headers={"origin": "https://www.kreis-unna.de"})
    assert "Access-Control-Allow-Origin" not in response


@override_settings(API_RATE_LIMIT="3/m")
def test_client_over_the_limit_gets_429_with_retry_after(client):
    statuses = [client.get("/api/v1/sections").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/sections")
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["title"] == "Zu viele Anfragen"


@override_settings(API_RATE_LIMIT="3/m")
def test_rate_limit_counts_page_cache_hits(client, django_assert_num_queries):
    client.get("/api/v1/sections")
    client.get("/api/v1/sections")
    client.get("/api/v1/sections")
    with django_assert_num_queries(0):
        assert client.get("/api/v1/sections").status_code == 429


@override_settings(API_RATE_LIMIT="2/m")
def test_rate_limit_is_per_client(client):
    for _ in range(3):
        client.get("/api/v1/sections", REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/v1/sections", REMOTE_ADDR="192.0.2.2").status_code == 200


@override_settings(API_RATE_LIMIT="2/m")
def test_rate_limit_leaves_the_public_pages_alone(client):
    assert {client.get("/").status_code for _ in range(4)} == {200}


@override_settings(API_RATE_LIMIT="2/m")
def test_remaining_requests_are_announced(client):
    assert client.get("/api/v1/sections")["RateLimit-Remaining"] == "1"


def test_schema_is_openapi_3_1(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"] == "3.1.0"
    assert set(schema["paths"]) >= {
        "/api/v1/articles",
        "/api/v1/articles/{slug}",
        "/api/v1/sections",
        "/api/v1/tags",
        "/api/v1/municipalities",
        "/api/v1/municipalities/{key}",
        "/api/v1/vendors",
    }


def test_schema_documents_problems_and_the_rate_limit(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/articles"]["get"]
    assert set(operation["responses"]) >= {"200", "304", "400", "404", "429"}
    assert "application/problem+json" in operation["responses"]["400"]["content"]
    assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_docs_page_loads_its_assets_from_this_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources
    assert all(source.startswith("/static/") for source in sources)
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_json_keeps_umlauts_as_utf8(api):
    make_article(title="Bürgerbüro öffnet")
    response = api("articles")
    assert "Bürgerbüro öffnet".encode() in response.content
    assert json.loads(response.content)["results"][0]["title"] == "Bürgerbüro öffnet"


def test_database_outage_is_a_503_problem(api, monkeypatch):
    from django.db import OperationalError

    def unreachable(filters):
        raise OperationalError("connection refused")

    monkeypatch.setattr("articles.api.endpoints.filtered_articles", unreachable)
    response = api("articles")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
