"""Mandates of the calling client (`/api/mandates`)."""

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from coursier.api.deps import PPF, ClientCtx, DbSession, Settings
from coursier.api.directory import DirectoryEntry
from coursier.api.pagination import PageParams, paginate
from coursier.api.routing import Router
from coursier.db.mandates import Mandate
from coursier.kit.errors import CoursierError
from coursier.services import mandates as service
from coursier.services.directory import DirectoryScope

router = Router(prefix="/mandates", tags=["Mandates"])

MandateStatus = Literal["processing", "created", "pending_kyc", "active", "expired", "error"]
MAX_BATCH = 100


class MandateOut(BaseModel):
    id: str
    client_id: str
    status: MandateStatus
    status_reason: str | None = Field(description="Why the mandate is in error, or what is pending")
    scope: Literal["SIREN", "SIREN_SUFFIXE", "SIREN_SIRET", "SIREN_SIRET_CODEROUTAGE"]
    siren: str
    suffix: str | None
    siret: str | None
    routing_code: str | None
    start_date: date
    end_date: date | None
    file_attachment: str | None = Field(description="Where to download the signed mandate, once signed")
    directory_entry: DirectoryEntry | None
    revoked_at: datetime | None
    created_at: datetime
    updated_at: datetime | None


class MandateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    siren: str = Field(description="The company (9 digits)")
    suffix: str | None = Field(default=None, description="SIREN+suffix line")
    siret: str | None = Field(default=None, description="SIREN+SIRET line (14 digits)")
    routing_code: str | None = Field(default=None, description="SIREN+SIRET+routing code line")
    routing_code_label: str | None = Field(default=None, max_length=200)
    start_date: date | None = Field(default=None, description="Default: today")
    end_date: date | None = None
    file_attachment: str | None = Field(
        default=None,
        description="The signed mandate as a base64 PDF, when the consent was collected by the "
        "sponsor; without it the mandate waits for the client's signature through an onboarding link",
    )


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mandates: list[MandateIn] = Field(min_length=1, max_length=MAX_BATCH)


class BatchItem(BaseModel):
    index: int
    mandate: MandateOut | None = None
    error: dict | None = None


class BatchOut(BaseModel):
    created: int
    failed: int
    results: list[BatchItem]


def mandate_out(mandate: Mandate) -> MandateOut:

    scope = DirectoryScope(
        siren=mandate.siren, suffix=mandate.suffix, siret=mandate.siret, routing_code=mandate.routing_code
    )
    return MandateOut(
        id=mandate.id,
        client_id=mandate.client_id,
        status=mandate.status,
        status_reason=mandate.status_reason,
        scope=scope.kind,
        siren=mandate.siren,
        suffix=mandate.suffix,
        siret=mandate.siret,
        routing_code=mandate.routing_code,
        start_date=mandate.start_date,
        end_date=mandate.end_date,
        file_attachment=f"/api/mandates/{mandate.id}/document" if mandate.signed_document_id else None,
        directory_entry=DirectoryEntry.model_validate(mandate.directory_entry) if mandate.directory_entry else None,
        revoked_at=mandate.revoked_at,
        created_at=mandate.created_at,
        updated_at=mandate.updated_at,
    )


def _request(body: MandateIn) -> service.MandateRequest:
    return service.MandateRequest(
        siren=body.siren,
        suffix=body.suffix,
        siret=body.siret,
        routing_code=body.routing_code,
        routing_code_label=body.routing_code_label,
        start_date=body.start_date,
        end_date=body.end_date,
        signed_document=service.decode_signed_document(body.file_attachment) if body.file_attachment else None,
    )


@router.post("", status_code=201, response_model=MandateOut, summary="Create a mandate")
def create_mandate(body: MandateIn, ctx: ClientCtx, session: DbSession, ppf: PPF, settings: Settings) -> MandateOut:
    mandate = service.create_mandate(session, ctx, _request(body), ppf=ppf, our_platform_id=settings.pa_matricule)
    return mandate_out(mandate)


@router.post("/batch", status_code=201, response_model=BatchOut, summary="Create several mandates")
def create_mandates(body: BatchIn, ctx: ClientCtx, session: DbSession, ppf: PPF, settings: Settings) -> BatchOut:
    """Each mandate is created or refused on its own; a refusal does not undo the others."""
    results = []
    for index, item in enumerate(body.mandates):
        try:
            with session.begin_nested():
                mandate = service.create_mandate(
                    session, ctx, _request(item), ppf=ppf, our_platform_id=settings.pa_matricule
                )
            results.append(BatchItem(index=index, mandate=mandate_out(mandate)))
        except CoursierError as exc:
            results.append(
                BatchItem(index=index, error={"status": exc.status, "code": exc.code, "detail": exc.message})
            )
    created = sum(1 for r in results if r.mandate)
    return BatchOut(created=created, failed=len(results) - created, results=results)


@router.get("", response_model=list[MandateOut], summary="List the client's mandates")
def list_mandates(
    ctx: ClientCtx,
    session: DbSession,
    request: Request,
    response: Response,
    page: Annotated[PageParams, Depends()],
    status_filter: Annotated[MandateStatus | None, Query()] = None,
) -> list[MandateOut]:
    stmt = service.list_mandates_query(ctx, status=status_filter)
    return [mandate_out(m) for m in paginate(session, stmt, Mandate, page, request, response)]


@router.get("/{mandate_id}", response_model=MandateOut, summary="Get a mandate")
def get_mandate(mandate_id: str, ctx: ClientCtx, session: DbSession) -> MandateOut:
    return mandate_out(service.get_mandate(session, ctx, mandate_id))


@router.get(
    "/{mandate_id}/document",
    summary="Download the signed mandate (PDF)",
    responses={200: {"content": {"application/pdf": {}}}},
)
def get_mandate_document(mandate_id: str, ctx: ClientCtx, session: DbSession) -> Response:
    document = service.signed_document(session, ctx, mandate_id)
    return Response(
        document.content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{document.filename}"',
            "Digest": f"sha-256={document.sha256}",
        },
    )


@router.delete("/{mandate_id}", response_model=MandateOut, summary="Revoke a mandate")
def revoke_mandate(mandate_id: str, ctx: ClientCtx, session: DbSession) -> MandateOut:
    """The mandate ends today and its directory line is closed; the record and its evidence are kept."""
    return mandate_out(service.revoke_mandate(session, ctx, mandate_id))
