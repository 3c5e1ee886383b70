"""Drafts while they are drafts: written, replaced in full any number of times, read, deleted.

A draft stays `draft` while its sponsor fills it in; once finalized (`finalizing`) it can no longer
change nor be deleted.
"""

import re
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.base import new_id
from coursier.db.drafts import Draft, DraftRepository
from coursier.kit import cpu
from coursier.kit.errors import Conflict, Unprocessable
from coursier.kit.tenancy import TenantContext
from coursier.network.ppf import PPF
from coursier.services.drafts.recipient import with_recipient_check
from coursier.services.drafts.report import Assessment, assess, json_path
from coursier.services.settings import get_client_settings

DRAFT, FINALIZED = "draft", "finalized"

# Text that can be neither stored (PostgreSQL refuses NUL and lone surrogates in JSON) nor
# written into an invoice (XML 1.0 refuses control characters).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Each line costs its share of the report and of the rendered invoice; a budget far above real
# invoices keeps one request from holding a worker for minutes.
MAX_DRAFT_LINES = 1_000


def create_draft(session: Session, ctx: TenantContext, data: dict[str, Any]) -> Draft:
    _require_acceptable(data)
    draft = Draft(id=new_id("drf"), sponsor_id=ctx.sponsor_id, client_id=ctx.client_id, status=DRAFT, data=data)
    return DraftRepository(session).add(draft)


def get_draft(session: Session, ctx: TenantContext, draft_id: str, *, for_update: bool = False) -> Draft:
    return DraftRepository(session).get_or_404(ctx, draft_id, for_update=for_update)


def replace_draft(session: Session, ctx: TenantContext, draft_id: str, data: dict[str, Any]) -> Draft:
    _require_acceptable(data)
    draft = editable(session, ctx, draft_id)
    draft.data = data
    session.flush()
    return draft


def delete_draft(session: Session, ctx: TenantContext, draft_id: str) -> None:
    session.delete(editable(session, ctx, draft_id))
    session.flush()


def list_drafts_query(ctx: TenantContext, *, status: str | None = None) -> Select[tuple[Draft]]:
    stmt = DraftRepository.readable(ctx)
    return stmt if status is None else stmt.where(Draft.status == status)


def report_on(
    session: Session, ctx: TenantContext, data: dict[str, Any], *, ppf: PPF, settings: Settings
) -> Assessment:
    """The report on draft data, stored or not, numbered as the client numbers its invoices, with
    what the national directory says of its buyer."""
    _require_acceptable(data)
    assessment = cpu.run(assess, data, number_pattern=get_client_settings(session, ctx).invoice_number_pattern)
    return with_recipient_check(session, ppf, assessment, settings)


def editable(session: Session, ctx: TenantContext, draft_id: str) -> Draft:
    """The draft, locked, so that a change racing a finalization waits for it and then sees the
    draft frozen; a finalized draft is a conflict."""
    draft = get_draft(session, ctx, draft_id, for_update=True)
    if draft.status != DRAFT:
        raise Conflict(
            f"Draft {draft_id} is finalized (number {draft.number}) and can no longer change", code="draft_finalized"
        )
    return draft


def _require_acceptable(data: dict[str, Any]) -> None:
    """Refuse more lines than `MAX_DRAFT_LINES`, then text with characters no invoice can carry,
    naming where they are."""
    lines = data.get("lines")
    if isinstance(lines, list) and len(lines) > MAX_DRAFT_LINES:
        raise Unprocessable(
            f"A draft holds at most {MAX_DRAFT_LINES} lines; this one has {len(lines)}",
            code="too_many_lines",
            extra={"limit": MAX_DRAFT_LINES},
        )
    bad: list[str] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str) and _UNWRITABLE.search(value):
            bad.append(json_path(loc) or "(root)")
        elif isinstance(value, dict):
            bad.extend(json_path((*loc, key)) for key in value if _UNWRITABLE.search(key))
            stack.extend(((*loc, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*loc, index), item) for index, item in enumerate(value))
    if bad:
        raise Unprocessable(
            "Control characters and unpaired surrogates cannot go into an invoice: " + ", ".join(sorted(bad)),
            code="invalid_characters",
            extra={"paths": sorted(bad)},
        )
