"""Onboarding links: the client's credential on the pages, and the steps it goes through.

The link's token is the client's only credential on the pages, so it carries 256 random bits and
only its SHA-256 is stored. A link is for one client; a new link supersedes the client's links not
yet used to the end, and releases the directory line an abandoned one had reserved.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import Select
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.clients import ClientRepository, ClientSettingsRepository
from coursier.db.mandates import Mandate, MandateRepository
from coursier.db.onboarding import OnboardingLink, OnboardingLinkRepository
from coursier.db.sponsors import SponsorRepository
from coursier.kit import clock
from coursier.kit.errors import CoursierError, InvalidInput, NotFound
from coursier.kit.tenancy import TenantContext
from coursier.kit.texts import Language, parse_language
from coursier.services import mandates

TOKEN_BYTES = 32
UNSIGNED_MANDATE_STATUSES = ("created", "pending_kyc")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class LinkGone(CoursierError):
    """The link exists but can no longer be used: `expired`, `superseded` or `used`."""

    status = 410
    title = "This onboarding link can no longer be used"

    def __init__(self, link: OnboardingLink, reason: str) -> None:
        super().__init__(f"This link is {reason}", code=reason)
        self.link = link


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_context(link: OnboardingLink) -> TenantContext:
    """The link stands for its client: the pages act with the context the sponsor's call had."""
    return TenantContext(sponsor_id=link.sponsor_id, client_id=link.client_id)


# ---- the sponsor's API ----------------------------------------------------------------------------


@dataclass
class LinkRequest:
    include_kyc: bool = True
    include_signature: bool = True
    expires_in_hours: int = 72
    return_url: str | None = None
    language: Language | None = None
    brand_name: str | None = None
    logo_url: str | None = None
    primary_color: str | None = None


def _check_url(url: str | None, *, field: str, allow_local_http: bool) -> None:
    if url is None:
        return
    parts = urlsplit(url)
    local_http = allow_local_http and parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS
    if not parts.hostname or not (parts.scheme == "https" or local_http):
        allowed = "an https URL (http only for localhost)" if allow_local_http else "an https URL"
        raise InvalidInput(f"{field} must be {allowed}", code=f"invalid_{field}")


def create_link(
    session: Session, ctx: TenantContext, request: LinkRequest, *, base_url: str
) -> tuple[OnboardingLink, str]:
    """A new link for the calling client, and its URL (the only time the token is seen)."""
    _check_url(request.return_url, field="return_url", allow_local_http=True)
    _check_url(request.logo_url, field="logo_url", allow_local_http=False)
    # Locked so that two concurrent calls leave exactly one link in use.
    ClientRepository(session).get_or_404(ctx, ctx.client_id, for_update=True)
    now = clock.now()
    for old in OnboardingLinkRepository(session).supersede_unused(ctx, now):
        release_reserved_line(session, old)

    token = secrets.token_urlsafe(TOKEN_BYTES)
    settings_language = ClientSettingsRepository(session).get(ctx, ctx.client_id).language
    branding = {
        "name": request.brand_name or SponsorRepository(session).get(ctx.sponsor_id).name,
        "logo_url": request.logo_url,
        "primary_color": request.primary_color,
    }
    link = OnboardingLinkRepository(session).add(
        OnboardingLink(
            id=new_id("onb"),
            sponsor_id=ctx.sponsor_id,
            client_id=ctx.client_id,
            token_hash=hash_token(token),
            csrf_token=secrets.token_urlsafe(32),
            include_kyc=request.include_kyc,
            include_signature=request.include_signature,
            language=request.language or parse_language(settings_language),
            return_url=request.return_url,
            branding=branding,
            expires_at=now + timedelta(hours=request.expires_in_hours),
            created_at=now,
            otp_failed_attempts=0,
            otp_codes_sent=0,
        )
    )
    return link, f"{base_url.rstrip('/')}/onboarding/{token}"


def release_reserved_line(session: Session, link: OnboardingLink) -> None:
    """An abandoned link's unsigned mandate would hold the directory line against the new link."""
    if link.mandate_id is None:
        return
    mandate = MandateRepository(session).get(link_context(link), link.mandate_id)
    if mandate is not None and mandate.status in UNSIGNED_MANDATE_STATUSES:
        mandates.revoke_mandate(session, link_context(link), mandate.id)


def release_expired_links(session: Session, now: datetime) -> int:
    """Free the lines held by the unsigned mandates of links that expired unused."""
    expired = OnboardingLinkRepository(session).expired_holding_a_line(now)
    for link in expired:
        release_reserved_line(session, link)
    return len(expired)


def status_of(link: OnboardingLink, now: datetime) -> str:
    """pending, opened, identified, kyc_done, signed; or expired / superseded when not used to the end."""
    if link.signed_at is not None:
        return "signed"
    if link.completed_at is None:
        if link.superseded_at is not None:
            return "superseded"
        if link.expires_at <= now:
            return "expired"
    if link.kyc_completed_at is not None:
        return "kyc_done"
    if link.identified_at is not None:
        return "identified"
    return "opened" if link.opened_at is not None else "pending"


def get_link(session: Session, ctx: TenantContext, link_id: str | None) -> OnboardingLink:
    repo = OnboardingLinkRepository(session)
    link = repo.newest(ctx) if link_id is None else repo.get(ctx, link_id)
    if link is None:
        raise NotFound("No such onboarding link for this client", code="onboarding_link_not_found")
    return link


def list_links_query(ctx: TenantContext) -> Select[tuple[OnboardingLink]]:
    """The links of the client `ctx` names."""
    return OnboardingLinkRepository.readable(ctx)


def revoke_link(session: Session, ctx: TenantContext, link_id: str) -> OnboardingLink:
    """The link stops working now (as if expired) and frees the directory line it reserved; a link
    used to the end stays as it is."""
    link = OnboardingLinkRepository(session).get_or_404(ctx, link_id, for_update=True)
    now = clock.now()
    if link.completed_at is None and link.superseded_at is None and link.expires_at > now:
        link.expires_at = now
        release_reserved_line(session, link)
        session.flush()
    return link


def mandate_of(session: Session, link: OnboardingLink) -> Mandate | None:
    if link.mandate_id is None:
        return None
    return MandateRepository(session).get(link_context(link), link.mandate_id)


# ---- the pages: opening a link, its form token, its language and its steps -------------------------


def open_link(session: Session, token: str) -> OnboardingLink:
    """The link of a page request, locked for the request; refused when it can no longer be used."""
    link = OnboardingLinkRepository(session).by_token_hash(hash_token(token), for_update=True)
    if link is None:
        raise NotFound("No such onboarding link", code="unknown")
    now = clock.now()
    status = status_of(link, now)
    if link.completed_at is not None:
        raise LinkGone(link, "used")
    if status in ("expired", "superseded"):
        raise LinkGone(link, status)
    if link.opened_at is None:
        link.opened_at = now
    return link


def completed_link(session: Session, token: str) -> OnboardingLink | None:
    """The link if it was used to the end (for its done page), None while it is not."""
    link = OnboardingLinkRepository(session).by_token_hash(hash_token(token))
    if link is None:
        raise NotFound("No such onboarding link", code="unknown")
    return link if link.completed_at is not None else None


def check_csrf(link: OnboardingLink, submitted: str | None) -> None:
    if not submitted or not hmac.compare_digest(link.csrf_token, submitted):
        raise CoursierError("The form is not valid for this link", code="csrf")


def switch_language(link: OnboardingLink, language: Language) -> None:
    """The client reads the pages, the mandate and the e-mails in the language it picked."""
    if language != link.language:
        link.language = language
        # The mandate is shown again, in the new language, before it can be signed.
        link.unsigned_document_id = None


def current_step(link: OnboardingLink) -> str:
    if link.identified_at is None:
        return "company"
    if link.include_kyc and link.kyc_completed_at is None:
        return "kyc"
    if link.include_signature and link.signed_at is None:
        return "signature"
    return "done"


def complete_when_done(link: OnboardingLink, now: datetime) -> None:
    """After a step: once every step the link asks for is done, the link cannot be used again."""
    if current_step(link) == "done":
        link.completed_at = now
