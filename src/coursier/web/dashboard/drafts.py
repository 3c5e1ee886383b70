"""Drafts of every client: the list, and one draft with its current report and, once finalized,
its document and the invoice it was sent as."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coursier.db.drafts import Draft
from coursier.services import clients as client_service
from coursier.services.drafts import editing, finalizing
from coursier.web.dashboard.common import PREFIX, DashboardRoute, Db, Looking, attachment, listing, page

router = APIRouter(prefix=PREFIX + "/drafts", route_class=DashboardRoute)

STATUSES = (editing.DRAFT, editing.FINALIZED)


@router.get("")
def list_drafts(
    request: Request, session: Db, viewer: Looking, status: str = "", cursor: str | None = None
) -> Response:
    stmt = editing.list_drafts_query(viewer.ctx, status=status if status in STATUSES else None)
    return page(
        request,
        viewer,
        "drafts/list.html.j2",
        section="drafts",
        drafts=listing(session, stmt, Draft, cursor),
        chosen_status=status,
        statuses=STATUSES,
    )


@router.get("/{draft_id}")
def draft_page(request: Request, session: Db, viewer: Looking, draft_id: str) -> Response:
    draft = editing.get_draft(session, viewer.ctx, draft_id)
    ctx = viewer.ctx.for_client(draft.client_id)
    return page(
        request,
        viewer,
        "drafts/detail.html.j2",
        section="drafts",
        draft=draft,
        client=client_service.get_client(session, viewer.ctx, draft.client_id),
        report=editing.report_on(
            session, ctx, draft.data, ppf=request.app.state.runtime.ppf(), settings=request.app.state.settings
        ).report,
    )


@router.get("/{draft_id}/document")
def draft_document(session: Db, viewer: Looking, draft_id: str) -> Response:
    draft = editing.get_draft(session, viewer.ctx, draft_id)
    document = finalizing.finalized_document(session, viewer.ctx.for_client(draft.client_id), draft)
    return attachment(document.content, document.media_type, document.filename)
