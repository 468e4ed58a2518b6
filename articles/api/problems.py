"""Errors as RFC 9457 problem details (application/problem+json), titled in German."""

import json
from http import HTTPStatus

from django.http import HttpResponse

MEDIA_TYPE = "application/problem+json"

TITLES = {
    HTTPStatus.BAD_REQUEST: "Ungültige Anfrage",
    HTTPStatus.NOT_FOUND: "Nicht gefunden",
    HTTPStatus.METHOD_NOT_ALLOWED: "Methode nicht erlaubt",
    HTTPStatus.TOO_MANY_REQUESTS: "Zu viele Anfragen",
    HTTPStatus.SERVICE_UNAVAILABLE: "Vorübergehend nicht verfügbar",
}


class ApiProblem(Exception):
    """Raised by an operation: the request cannot be answered as asked."""

    def __init__(self, status: int, detail: str, *, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = HTTPStatus(status), detail, errors or []


def problem_response(
    request, status: int, detail: str, *, errors: list[dict] | None = None, headers=None
) -> HttpResponse:
    status = HTTPStatus(status)
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, status.phrase),
        "status": status.value,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status.value,
        content_type=MEDIA_TYPE,
        headers=headers,
    )


# Pydantic's error types in the German an API user reads; {…} from the error's context.
_MESSAGES = {
    "missing": "fehlt",
    "int_parsing": "ist keine ganze Zahl",
    "int_type": "ist keine ganze Zahl",
    "bool_parsing": "ist kein Wahrheitswert (true oder false)",
    "greater_than_equal": "muss mindestens {ge} sein",
    "less_than_equal": "darf höchstens {le} sein",
    "string_too_short": "muss mindestens {min_length} Zeichen lang sein",
    "string_too_long": "darf höchstens {max_length} Zeichen lang sein",
    "string_pattern_mismatch": "hat nicht die erwartete Form",
    "enum": "muss einer dieser Werte sein: {expected}",
    "literal_error": "muss einer dieser Werte sein: {expected}",
    "datetime_parsing": "ist kein Zeitpunkt nach ISO 8601 (z. B. 2024-05-14T08:00:00+02:00)",
    "datetime_from_date_parsing": (
        "ist kein Zeitpunkt nach ISO 8601 (z. B. 2024-05-14T08:00:00+02:00)"
    ),
    "datetime_type": "ist kein Zeitpunkt nach ISO 8601 (z. B. 2024-05-14T08:00:00+02:00)",
}


def parameter_errors(pydantic_errors: list[dict]) -> list[dict]:
    """[{"parameter": "page_size", "detail": "darf höchstens 100 sein"}, …]"""
    errors = []
    for error in pydantic_errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        parameter = location[-1] if location else ""
        if error.get("type") == "value_error":  # our own validators speak German
            errors.append({"parameter": parameter, "detail": error["msg"].split(", ", 1)[-1]})
            continue
        template = _MESSAGES.get(error.get("type", ""), "ist ungültig")
        try:
            message = template.format(**error.get("ctx", {}))
        except (KeyError, IndexError):
            message = "ist ungültig"
        errors.append({"parameter": parameter, "detail": message})
    return errors


def describe(errors: list[dict]) -> str:
    return "; ".join(f"{error['parameter']} {error['detail']}".strip() for error in errors) + "."
