"""Drafts of every client: the list, and one draft with its current report and, once finalized,
its document and the invoice it was sent as."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coursier.db.invoices import Draft
from coursier.services import clients as client_service
from coursier.services import drafts as draft_service
from coursier.web.dashboard.common import PREFIX, DashboardRoute, Db, Looking, attachment, listing, page

router = APIRouter(prefix=PREFIX + "/drafts", route_class=DashboardRoute)

STATUSES = (draft_service.DRAFT, draft_service.FINALIZED)


@router.get("")
def list_drafts(
    request: Request, session: Db, viewer: Looking, status: str = "", cursor: str | None = None
) -> Response:
    stmt = draft_service.list_drafts_query(viewer.ctx, status=status if status in STATUSES else None)
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
    draft = draft_service.get_draft(session, viewer.ctx, draft_id)
    ctx = viewer.ctx.for_client(draft.client_id)
    return page(
        request,
        viewer,
        "drafts/detail.html.j2",
        section="drafts",
        draft=draft,
        client=client_service.get_client(session, viewer.ctx, draft.client_id),
        report=draft_service.report_on(session, ctx, draft.data).report,
    )


@router.get("/{draft_id}/document")
def draft_document(session: Db, viewer: Looking, draft_id: str) -> Response:
    draft = draft_service.get_draft(session, viewer.ctx, draft_id)
    document = draft_service.finalized_document(session, viewer.ctx.for_client(draft.client_id), draft)
    return attachment(document.content, document.media_type, document.filename)
