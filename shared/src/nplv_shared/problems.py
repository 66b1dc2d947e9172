"""RFC 9457 problem details: one exception type, one renderer, 400 for invalid input."""

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from nplv_shared.routing import allowed_methods

PROBLEM_JSON = "application/problem+json"


class InvalidParam(BaseModel):
    """Eén fout in de invoer; een 400 noemt ze allemaal tegelijk (NL API Design Rules)."""

    name: str = Field(description="Plaats van de fout, bv. `body.titel` of `query.pageSize`")
    code: str = Field(description="Soort fout, bv. `missing`, `string_too_long`")
    reason: str = Field(description="Uitleg in mensentaal")


class Problem(BaseModel):
    type: str = Field(default="about:blank")
    title: str
    status: int
    detail: str
    instance: str | None = None
    invalidParams: list[InvalidParam] | None = None


class ProblemError(Exception):
    """Base for every domain error that is shown to the client."""

    status: int = 500
    title: str = "Interne fout"

    def __init__(self, detail: str, *, title: str | None = None, status: int | None = None,
                 invalid_params: list[InvalidParam] | None = None,
                 headers: dict[str, str] | None = None,
                 extensions: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.extensions = extensions  # RFC 9457 extension members, e.g. an import's summary
        self.detail = detail
        if title is not None:
            self.title = title
        if status is not None:
            self.status = status
        self.invalid_params = invalid_params
        self.headers = headers


class BadRequest(ProblemError):
    status, title = 400, "Ongeldig verzoek"


class Unauthorized(ProblemError):
    status, title = 401, "Niet geauthenticeerd"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="nplv"'})


class Forbidden(ProblemError):
    status, title = 403, "Geen toegang"


class NotFound(ProblemError):
    status, title = 404, "Niet gevonden"


class Conflict(ProblemError):
    status, title = 409, "Conflict"


class PreconditionFailed(ProblemError):
    status, title = 412, "Versie komt niet overeen"


class PayloadTooLarge(ProblemError):
    status, title = 413, "Verzoek te groot"


class PreconditionRequired(ProblemError):
    status, title = 428, "If-Match vereist"


DUTCH_TITLES = {
    400: "Ongeldig verzoek", 401: "Niet geauthenticeerd", 403: "Geen toegang",
    404: "Niet gevonden", 405: "Methode niet toegestaan", 406: "Niet aanvaardbaar",
    409: "Conflict", 412: "Versie komt niet overeen", 413: "Verzoek te groot",
    415: "Mediatype niet ondersteund", 428: "If-Match vereist", 429: "Te veel verzoeken",
    500: "Interne fout", 503: "Dienst niet beschikbaar",
}


def problem_response(status: int, title: str, detail: str, *, instance: str | None = None,
                     invalid_params: list[InvalidParam] | None = None,
                     headers: dict[str, str] | None = None,
                     extensions: dict[str, Any] | None = None) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, instance=instance,
                   invalidParams=invalid_params)
    return JSONResponse({**body.model_dump(exclude_none=True), **(extensions or {})},
                        status_code=status,
                        media_type=PROBLEM_JSON, headers=headers)


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "body"


# Dutch reasons for the validation errors clients meet most; others keep Pydantic's text.
DUTCH_REASONS = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld",
    "json_invalid": "geen geldige JSON: {error}",
    "string_type": "moet tekst zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_type": "moet een geheel getal zijn",
    "bool_parsing": "moet true of false zijn",
    "decimal_parsing": "moet een getal zijn",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "uuid_parsing": "moet een UUID zijn",
    "enum": "moet een van deze waarden zijn: {expected}",
    "literal_error": "moet een van deze waarden zijn: {expected}",
    "string_pattern_mismatch": "heeft niet de vorm {pattern}",
    "string_too_short": "moet minstens {min_length} teken(s) lang zijn",
    "string_too_long": "mag hoogstens {max_length} tekens lang zijn",
    "too_short": "moet minstens {min_length} element(en) bevatten",
    "too_long": "mag hoogstens {max_length} elementen bevatten",
    "greater_than_equal": "moet groter dan of gelijk aan {ge} zijn",
    "less_than_equal": "moet kleiner dan of gelijk aan {le} zijn",
    "decimal_max_places": "mag hoogstens {decimal_places} decimalen hebben",
    "model_attributes_type": "moet een JSON-object zijn",
    "model_type": "moet een JSON-object zijn",
    "decimal_max_digits": "mag hoogstens {max_digits} cijfers hebben",
    "decimal_whole_digits": "mag hoogstens {whole_digits} cijfers vóór de komma hebben",
    "decimal_type": "moet een decimaal getal zijn (bij voorkeur als tekst, bv. \"12.50\")",
    "finite_number": "moet een eindig getal zijn",
    "int_from_float": "moet een geheel getal zijn, zonder decimalen",
    "bool_type": "moet true of false zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "greater_than": "moet groter dan {gt} zijn",
    "less_than": "moet kleiner dan {lt} zijn",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "datetime_type": "moet een tijdstip zijn (ISO 8601)",
    "datetime_parsing": "moet een tijdstip zijn (ISO 8601)",
    "uuid_type": "moet een UUID zijn",
    "string_unicode": "moet geldige Unicode-tekst zijn",
    "control_character": "bevat een stuurteken (zoals NUL) dat in tekst niet is toegestaan",
    "whitespace_around": "mag niet met witruimte beginnen of eindigen",
    "json_type": "geen geldige JSON",
    "union_tag_invalid": "onbekende soort",
    "dict_type": "moet een JSON-object zijn",
    "list_type": "moet een lijst zijn",
}


# Details Starlette and FastAPI raise in English.
ENGLISH_DETAILS = {
    "There was an error parsing the body": "De body kon niet worden gelezen; stuur geldige JSON.",
    "Not Found": "Niet gevonden.",
    "Method Not Allowed": "Deze methode is hier niet toegestaan.",
}


def _reason(err: dict[str, Any]) -> str:
    kind = str(err.get("type"))
    template = DUTCH_REASONS.get(kind)
    if template is not None:
        try:
            return template.format(**err.get("ctx", {}))
        except (KeyError, IndexError):
            pass
    if kind in {"value_error", "assertion_error"}:  # our own validators speak Dutch already
        return str(err.get("msg", "ongeldig")).removeprefix("Value error, ").removeprefix(
            "Assertion failed, ")
    return f"ongeldige waarde ({kind})"


reason_of = _reason  # the Dutch reason of one pydantic error (also for import rows)


def validation_params(errors: list[dict[str, Any]]) -> list[InvalidParam]:
    return [
        InvalidParam(name=_location(tuple(err.get("loc", ()))),
                     code=str(err.get("type", "invalid")), reason=_reason(err))
        for err in errors
    ]


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(exc.status, exc.title, exc.detail, instance=request.url.path,
                            invalid_params=exc.invalid_params, headers=exc.headers,
                            extensions=exc.extensions)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    params = validation_params(list(exc.errors()))
    detail = f"Het verzoek bevat {len(params)} fout(en); zie invalidParams."
    return problem_response(400, "Ongeldig verzoek", detail, instance=request.url.path,
                            invalid_params=params)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    title = DUTCH_TITLES.get(exc.status_code, HTTPStatus(exc.status_code).phrase)
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"Er is geen resource op {request.url.path}."
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        detail = f"Methode {request.method} is niet toegestaan op {request.url.path}."
        headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope))
    detail = ENGLISH_DETAILS.get(detail, detail)
    return problem_response(exc.status_code, title, detail, instance=request.url.path,
                            headers=headers or None)


def internal_error(instance: str) -> JSONResponse:
    """The one 500 body. Rendered by the platform middleware (not by a FastAPI exception handler,
    which runs outside it), so a 500 still carries API-Version, the request id and the security
    headers."""
    return problem_response(500, "Interne fout", "Er ging iets mis; probeer het later opnieuw.",
                            instance=instance)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
