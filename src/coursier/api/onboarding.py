"""Onboarding links of the calling client (`/api/clients/onboarding-link`)."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from coursier.api.deps import ClientCtx, DbSession, Settings
from coursier.api.routing import Router
from coursier.kit import clock
from coursier.services.onboarding import links

router = Router(prefix="/clients/onboarding-link", tags=["Onboarding"])

LinkStatus = Literal["pending", "opened", "identified", "kyc_done", "signed", "expired", "superseded"]


class BrandingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=100, description="Default: the sponsor's name")
    logo_url: str | None = Field(default=None, max_length=2000, description="An https URL of the logo")
    primary_color: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb")


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    include_kyc: bool = Field(default=True, description="Ask who signs and confirm their e-mail with a code")
    include_signature: bool = Field(default=True, description="Have the client sign the mandate on the pages")
    expires_in_hours: int = Field(default=72, ge=1, le=720)
    return_url: str | None = Field(
        default=None,
        max_length=2000,
        description="Where the done page sends the client back (https; http for localhost)",
    )
    language: Literal["fr", "en"] | None = Field(default=None, description="Default: the client's language setting")
    branding: BrandingIn | None = Field(default=None, description="White label of the pages and e-mails")


class LinkOut(BaseModel):
    link_id: str
    url: str = Field(description="The page to send the client to; the token in it is shown only here")
    expires_at: datetime
    include_kyc: bool
    include_signature: bool
    language: Literal["fr", "en"]


class CompanyOut(BaseModel):
    siren: str
    siret: str | None
    name: str


class LinkStatusOut(BaseModel):
    link_id: str
    status: LinkStatus
    expires_at: datetime
    opened_at: datetime | None
    company: CompanyOut | None
    kyc_completed_at: datetime | None
    signed_at: datetime | None
    mandate_id: str | None
    mandate_status: str | None


@router.post("", status_code=201, response_model=LinkOut, summary="Create an onboarding link for the client")
def create_link(body: LinkIn, ctx: ClientCtx, session: DbSession, settings: Settings) -> LinkOut:
    """A new link supersedes the client's earlier links that were not used to the end."""
    branding = body.branding or BrandingIn()
    link, url = links.create_link(
        session,
        ctx,
        links.LinkRequest(
            include_kyc=body.include_kyc,
            include_signature=body.include_signature,
            expires_in_hours=body.expires_in_hours,
            return_url=body.return_url,
            language=body.language,
            brand_name=branding.name,
            logo_url=branding.logo_url,
            primary_color=branding.primary_color,
        ),
        base_url=settings.base_url,
    )
    return LinkOut(
        link_id=link.id,
        url=url,
        expires_at=link.expires_at,
        include_kyc=link.include_kyc,
        include_signature=link.include_signature,
        language=link.language,
    )


@router.get("/status", response_model=LinkStatusOut, summary="Progress of an onboarding link")
def link_status(
    ctx: ClientCtx,
    session: DbSession,
    link_id: Annotated[str | None, Query(max_length=32, description="Default: the newest link")] = None,
) -> LinkStatusOut:
    link = links.get_link(session, ctx, link_id)
    mandate = links.mandate_of(session, link)
    company = link.company
    return LinkStatusOut(
        link_id=link.id,
        status=links.status_of(link, clock.now()),
        expires_at=link.expires_at,
        opened_at=link.opened_at,
        company=CompanyOut(siren=company["siren"], siret=company["siret"], name=company["name"]) if company else None,
        kyc_completed_at=link.kyc_completed_at,
        signed_at=link.signed_at,
        mandate_id=link.mandate_id,
        mandate_status=mandate.status if mandate is not None else None,
    )
