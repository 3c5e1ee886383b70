"""/flows: intake of F1, F6 and F10 files, and what became of them."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Response, UploadFile, status

from coursier.sandbox import flows
from coursier.sandbox.deps import Caller, Db
from coursier.sandbox.errors import FlowTooLarge, Forbidden
from coursier.sandbox.schemas import FlowReport, FlowSyntax, FlowType, ProcessingRule
from coursier.sandbox.uploads import read_upload

router = APIRouter(prefix="/flows", tags=["Flows"])


@router.post("", status_code=status.HTTP_202_ACCEPTED, summary="Send a flow; the answer says if it is receivable")
def submit_flow(
    conn: Db,
    caller: Caller,
    file: UploadFile,
    flow_type: Annotated[FlowType, Form()],
    flow_syntax: Annotated[FlowSyntax, Form()],
    processing_rule: Annotated[ProcessingRule | None, Form()] = None,
) -> FlowReport:
    filename, content = read_upload(file, FlowTooLarge, "flow")
    return flows.submit_flow(
        conn,
        caller,
        flow_type=flow_type,
        flow_syntax=flow_syntax,
        processing_rule=processing_rule,
        filename=filename,
        content=content,
    )


@router.get("/{flow_id}", summary="The report of one of your flows")
def get_flow(flow_id: str, conn: Db, caller: Caller) -> FlowReport:
    return flows.get_flow(conn, caller, flow_id)


@router.get(
    "/{flow_id}/content",
    summary="The file of one of your flows, as sent",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def flow_content(flow_id: str, conn: Db, caller: Caller) -> Response:
    filename, content = flows.flow_content(conn, caller, flow_id)
    return Response(
        content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


@router.get("", summary="Your flows, newest first")
def list_flows(
    conn: Db,
    caller: Caller,
    flow_type: FlowType | None = None,
    platform_id: Annotated[str | None, Query(description="Your own matricule: flows are private")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[FlowReport]:
    if platform_id is not None and platform_id != caller:
        raise Forbidden("A platform sees only its own flows", code="platform_mismatch")
    return flows.list_flows(conn, caller, flow_type=flow_type, limit=limit)
