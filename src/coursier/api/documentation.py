"""The API's documentation: the OpenAPI document, in which every operation lists the problem
documents it may answer with and drafts are described by the invoice model (`InvoiceModel`, from
`coursier.model.schema`), and the Swagger UI page, served with its assets from the
`swagger-ui-bundle` package (the page works without internet access)."""

from http import HTTPStatus

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from coursier.kit.problems import PROBLEM_MEDIA_TYPE
from coursier.model.schema import ROOT_NAME, invoice_json_schema

SCHEMAS_REF = "#/components/schemas/"
# Where an operation takes or gives the JSON invoice model: a mark in the schemas FastAPI makes
# (pydantic resolves a `$ref` it is given, and this one is not its own), turned by
# `with_invoice_model` into a reference to the model published whole.
_INVOICE_MODEL_MARK = "x-coursier-invoice-model"
INVOICE_MODEL = {_INVOICE_MODEL_MARK: True}
DOCS_PATH = "/docs"
ASSETS_PATH = DOCS_PATH + "/assets"

# What any operation may answer besides its own responses: the edge's budgets and limits, the
# checks every route shares, and a server that is busy or failed.
SHARED_PROBLEMS = {
    400: "Invalid input (the `code` says which)",
    401: "No API token, or an unknown one",
    404: "No such resource for the caller",
    409: "Conflict with the current state, or an `Idempotency-Key` in use or used for another request",
    413: "The request body is over its limit",
    415: "A body of a media type the operation does not take",
    422: "The request does not match the operation's schema (`errors` lists each problem)",
    429: "Over a rate limit, or too many heavy requests at once; `Retry-After` says when to retry",
    431: "Too many request headers, or too large",
    500: "An unexpected error; quote `trace_id` to support",
    503: "The server, or a service it relies on, is busy or unreachable; retry later",
}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}}
_PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem document",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "Stable machine code of the error"},
        "error": {"type": "string", "description": "The detail again, as Seqino-era clients read it"},
        "trace_id": {"type": ["string", "null"], "description": "The request id (X-Request-Id)"},
        "errors": {"type": "array", "items": {"type": "object"}, "description": "Each problem of a 422"},
    },
    "required": ["type", "title", "status", "detail", "code"],
}


def install_documentation(app: FastAPI) -> None:
    """Call on an app built with `docs_url=None, redoc_url=None`."""
    app.mount(ASSETS_PATH, StaticFiles(directory=swagger_ui_path), name="swagger-ui-assets")

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} - documentation",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon-32x32.png",
        )

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            app.openapi_schema = with_invoice_model(with_problems(schema))
        return app.openapi_schema

    app.openapi = openapi


def with_invoice_model(schema: dict) -> dict:
    """The invoice model's definitions among the components, referred to where `INVOICE_MODEL` marks it."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    model = invoice_json_schema(SCHEMAS_REF)
    clashing = sorted(components.keys() & model.keys())
    if clashing:
        raise ValueError(f"the API already defines {', '.join(clashing)}")
    pending: list = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.pop(_INVOICE_MODEL_MARK, False):
                node["$ref"] = SCHEMAS_REF + ROOT_NAME
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    components.update(model)
    return schema


def with_problems(schema: dict) -> dict:
    """Every operation answers its errors as problem documents: the shared ones are added, and the
    ones an operation declares itself (FastAPI's 422 among them) get the problem media type."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = _PROBLEM_SCHEMA
    problem_content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in SHARED_PROBLEMS.items():
                responses.setdefault(str(status), {"description": description})
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    response["content"] = problem_content
                    response.setdefault("description", HTTPStatus(int(status)).phrase)
                    if int(status) in (429, 503):
                        response["headers"] = _RETRY_AFTER
    return schema
