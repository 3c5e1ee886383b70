"""The directory API's refusals: the published `erreur` document (RFC 9457 with French member
names: type, titre, statut, detail, instance), served as application/problem+json.

Two members are ours, for a caller that wants to tell refusals apart: `code`, the reason of DG
§3.5.8 table 7 (REJ_RG business rule, REJ_HAB rights, REJ_COH consistency, REJ_VAL_INC value) or
an HTTP-level code, and `regle`, the annex 7 rule that failed (G1.86...), when one did.
"""

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from coursier.kit.errors import CoursierError
from coursier.kit.problems import PROBLEM_MEDIA_TYPE

# DG §3.5.8 table 7.
REJ_RG = "REJ_RG"  # a business rule is broken
REJ_HAB = "REJ_HAB"  # the caller may not do this
REJ_COH = "REJ_COH"  # data contradict one another
REJ_VAL_INC = "REJ_VAL_INC"  # a value is wrong or not allowed


class Refused(CoursierError):
    """A directory update the PPF refuses (422), with its reason and annex 7 rule."""

    status = 422
    code = REJ_RG
    title = "Erreur de validation des données"

    def __init__(self, message: str, *, reason: str = REJ_RG, rule: str | None = None) -> None:
        super().__init__(message, code=reason, extra={"regle": rule} if rule else None)


class NotAllowed(Refused):
    status = 403
    title = "Accès non autorisé"

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        super().__init__(message, reason=REJ_HAB, rule=rule)


class NotImplementedHere(CoursierError):
    status = 501
    code = "non_implemente"
    title = "Non implémenté"


def error_response(request: Request, status: int, detail: str, *, title: str | None = None, **extra) -> JSONResponse:
    body = {
        "type": "about:blank",
        "titre": title or HTTPStatus(status).phrase,
        "statut": status,
        "detail": detail,
        "instance": request.url.path,
        **{name: value for name, value in extra.items() if value is not None},
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CoursierError)
    async def refused(request: Request, exc: CoursierError) -> JSONResponse:
        return error_response(request, exc.status, exc.message, title=exc.title, code=exc.code, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        where = "; ".join(f"{'.'.join(map(str, error['loc']))}: {error['msg']}" for error in errors[:10])
        if any(error["type"] == "json_invalid" for error in errors):
            return error_response(request, 400, f"Le corps n'est pas du JSON : {where}", code="bad_request")
        return error_response(request, 422, where, title="Erreur de validation des données", code=REJ_VAL_INC)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = error_response(request, exc.status_code, str(exc.detail), code=f"http_{exc.status_code}")
        response.headers.update(exc.headers or {})
        return response
