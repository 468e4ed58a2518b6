"""The NinjaAPI of /api/v1/: its errors as problem details and what its schema says."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from articles.api.problems import (
    MEDIA_TYPE,
    ApiProblem,
    describe,
    parameter_errors,
    problem_response,
)

logger = logging.getLogger(__name__)

DESCRIPTION = """\
Die veröffentlichten Meldungen und Berichte dieser Website und wonach sie geordnet sind:
Bereiche, Themen, Orte (mit amtlichem Schlüssel) und Anbieter. Nur lesend, ohne
Anmeldung, für jede Herkunft (CORS).

- Listen sind seitenweise (höchstens 100 Einträge, Standard 20), die neuesten zuerst;
  `next` und `previous` führen zur nächsten und vorigen Seite.
- Fehler kommen als `application/problem+json` (RFC 9457); unbekannte Parameter werden
  mit 400 abgewiesen.
- Jede Antwort trägt ein `ETag`; mit `If-None-Match` antwortet die API mit 304, solange
  sich nichts geändert hat.
- Je Client gilt ein Anfragelimit; darüber antwortet die API mit 429 und `Retry-After`.
"""


class Utf8JsonRenderer(JSONRenderer):
    """Umlauts as UTF-8 ("Ü", two bytes), not escaped ("\\u00dc", six bytes); compact,
    like the article fragments (articles.api.fragments)."""

    json_dumps_params = {"ensure_ascii": False, "separators": (",", ":")}


class ContentApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_http_behaviour(schema)


def document_http_behaviour(schema):
    """What the middleware adds to every operation: ETag and 304, the rate limit's 429,
    errors as problem+json."""
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for operations in schema["paths"].values():
        for operation in operations.values():
            responses = {str(status): value for status, value in operation["responses"].items()}
            operation["responses"] = responses
            for status, response in responses.items():
                if int(status) >= 400:
                    response["content"] = {MEDIA_TYPE: {"schema": problem_ref}}
            responses["200"]["headers"] = {
                "ETag": {"description": "Für If-None-Match.", "schema": {"type": "string"}},
                "Cache-Control": {"schema": {"type": "string"}},
            }
            responses["304"] = {"description": "Unverändert seit dem ETag in If-None-Match."}
            responses["414"] = {
                "description": "Adresse zu lang: der Webserver weist sie ab, bevor die API "
                "sie sieht (Anfragezeile über 4 KB)."
            }
            responses["429"] = {
                "description": "Zu viele Anfragen.",
                "headers": {
                    "Retry-After": {
                        "description": "Sekunden bis zur nächsten erlaubten Anfrage.",
                        "schema": {"type": "integer"},
                    }
                },
                "content": {MEDIA_TYPE: {"schema": problem_ref}},
            }
            operation.setdefault("parameters", [])
            operation["parameters"].append(
                {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "description": "Das ETag einer früheren Antwort.",
                    "schema": {"type": "string"},
                }
            )
    return schema


api = ContentApi(
    title="Newsroom Content-API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    renderer=Utf8JsonRenderer(),
)


@api.exception_handler(ApiProblem)
def on_problem(request, error: ApiProblem):
    return problem_response(request, error.status, error.detail, errors=error.errors)


@api.exception_handler(ValidationError)
def on_invalid_parameters(request, error: ValidationError):
    errors = parameter_errors(error.errors)
    return problem_response(request, 400, describe(errors), errors=errors)


@api.exception_handler(Http404)
def on_not_found(request, error):
    return problem_response(request, 404, "Unter dieser Adresse gibt es nichts.")


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_outage(request, error):
    """The database cannot be reached: an outage that passes (as articles.public.views.server_error
    says for the pages), in the API's own format."""
    logger.error("Database unavailable: %s", error)
    return problem_response(
        request,
        503,
        "Die Datenbank ist gerade nicht erreichbar. Bitte in 30 Sekunden erneut versuchen.",
        headers={"Retry-After": "30", "Cache-Control": "no-store"},
    )


@api.exception_handler(HttpError)
def on_http_error(request, error: HttpError):
    return problem_response(request, error.status_code, str(error))


def not_found(request, rest=""):
    """Addresses under /api/ that no operation answers."""
    return problem_response(
        request, 404, "Diesen Endpunkt gibt es nicht. Die Übersicht: /api/v1/docs"
    )


# The operations register themselves on `api`.
from articles.api import endpoints  # noqa: E402, F401
