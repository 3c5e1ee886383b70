"""Flow intake: every file a platform sends is judged, then kept with its content and report."""

import secrets

from sqlalchemy import Connection, select

from coursier.kit import clock
from coursier.kit.errors import NotFound
from coursier.sandbox.conformance import judge, profile_for
from coursier.sandbox.schemas import Finding, FlowReport, Rejection
from coursier.sandbox.storage import flows


def _report(row) -> FlowReport:
    errors = [Finding(**error) for error in row.errors]
    fatal = [error.rule or "UNKNOWN" for error in errors if error.severity == "fatal"]
    # The PPF answers a status message (F6) it refuses with its own status 601, listing why.
    rejection = Rejection(reasons=list(dict.fromkeys(fatal))) if row.flow_type == "F6" and fatal else None
    return FlowReport(
        flow_id=row.flow_id,
        platform_id=row.platform_id,
        flow_type=row.flow_type,
        flow_syntax=row.flow_syntax,
        processing_rule=row.processing_rule,
        filename=row.filename,
        status=row.status,
        errors=errors,
        rejection=rejection,
        submitted_at=row.submitted_at,
    )


def submit_flow(
    conn: Connection,
    caller: str,
    *,
    flow_type: str,
    flow_syntax: str,
    processing_rule: str | None,
    filename: str,
    content: bytes,
) -> FlowReport:
    findings = judge(profile_for(flow_type, flow_syntax), filename, content)
    status = "UNACCEPTABLE" if any(finding.severity == "fatal" for finding in findings) else "RECEIVABLE"
    row = conn.execute(
        flows.insert()
        .values(
            flow_id="flow_" + secrets.token_hex(8),
            platform_id=caller,
            flow_type=flow_type,
            flow_syntax=flow_syntax,
            processing_rule=processing_rule,
            filename=filename,
            content=content,
            status=status,
            errors=[finding.model_dump() for finding in findings],
            submitted_at=clock.now(),
        )
        .returning(flows)
    ).one()
    return _report(row)


def _own_flow(conn: Connection, caller: str, flow_id: str, *columns):
    # Another platform's flow answers exactly like one that does not exist.
    row = conn.execute(
        select(*(columns or (flows,))).where(flows.c.flow_id == flow_id, flows.c.platform_id == caller)
    ).first()
    if row is None:
        raise NotFound(f"No flow {flow_id}", code="flow_not_found")
    return row


def get_flow(conn: Connection, caller: str, flow_id: str) -> FlowReport:
    return _report(_own_flow(conn, caller, flow_id))


def flow_content(conn: Connection, caller: str, flow_id: str) -> tuple[str, bytes]:
    row = _own_flow(conn, caller, flow_id, flows.c.filename, flows.c.content)
    return row.filename, row.content


def list_flows(conn: Connection, caller: str, *, flow_type: str | None, limit: int) -> list[FlowReport]:
    """The caller's flows, newest first."""
    query = select(flows).where(flows.c.platform_id == caller)
    if flow_type is not None:
        query = query.where(flows.c.flow_type == flow_type)
    query = query.order_by(flows.c.submitted_at.desc(), flows.c.flow_id).limit(limit)
    return [_report(row) for row in conn.execute(query)]
