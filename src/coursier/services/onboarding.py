"""Onboarding links: a sponsor hands its client a link; the client identifies its company, proves
the signatory's e-mail with a one-time code, and signs its mandate.

The link's token is the client's only credential on the pages, so it carries 256 random bits and
only its SHA-256 is stored. A link is for one client; a new link supersedes the client's links not
yet used to the end, and releases the directory line an abandoned one had reserved.
"""

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.base import new_id
from coursier.db.clients import ClientRepository, ClientSettingsRepository
from coursier.db.documents import Document, DocumentRepository
from coursier.db.mandates import Mandate, MandateRepository
from coursier.db.onboarding import OnboardingLink, OnboardingLinkRepository
from coursier.db.sponsors import SponsorRepository
from coursier.kit import clock
from coursier.kit.errors import CoursierError, InvalidInput, NotFound
from coursier.kit.tenancy import TenantContext
from coursier.services import mailer, mandate_document, mandates
from coursier.services.directory import DirectoryScope
from coursier.services.lifecycle import record_event
from coursier.web.i18n import Language, language_or_default, text

TOKEN_BYTES = 32
OTP_LIFETIME = timedelta(minutes=10)
OTP_MAX_FAILED_ATTEMPTS = 5
# Codes one link may send: bounds the e-mails a leaked link can trigger, and the guesses.
OTP_MAX_CODES = 5
UNSIGNED_MANDATE_STATUSES = ("created", "pending_kyc")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class LinkGone(CoursierError):
    """The link exists but can no longer be used: `expired`, `superseded` or `used`."""

    status = 410
    title = "This onboarding link can no longer be used"

    def __init__(self, link: OnboardingLink, reason: str) -> None:
        super().__init__(f"This link is {reason}", code=reason)
        self.link = link


class RegisterUnavailable(CoursierError):
    status = 503
    code = "register_unavailable"
    title = "The company register does not answer"


def now_utc() -> datetime:
    return clock.now()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_context(link: OnboardingLink) -> TenantContext:
    """The link stands for its client: the pages act with the context the sponsor's call had."""
    return TenantContext(sponsor_id=link.sponsor_id, client_id=link.client_id)


# ---- links (the sponsor's API) --------------------------------------------------------------


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
    clients = ClientRepository(session)
    # Locked so that two concurrent calls leave exactly one link in use.
    if clients.get(ctx, ctx.client_id, for_update=True) is None:
        raise NotFound(f"No client {ctx.client_id}", code="client_not_found")
    now = now_utc()
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
            language=request.language or language_or_default(settings_language),
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
    expired = session.scalars(
        select(OnboardingLink)
        .where(
            OnboardingLink.expires_at < now,
            OnboardingLink.signed_at.is_(None),
            OnboardingLink.superseded_at.is_(None),
            OnboardingLink.mandate_id.is_not(None),
        )
        .with_for_update(skip_locked=True)
    ).all()
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


def mandate_of(session: Session, link: OnboardingLink) -> Mandate | None:
    if link.mandate_id is None:
        return None
    return MandateRepository(session).get(link_context(link), link.mandate_id)


# ---- the pages: opening a link and its steps ----------------------------------------------------


def open_link(session: Session, token: str) -> OnboardingLink:
    """The link of a page request, locked for the request; refused when it can no longer be used."""
    link = OnboardingLinkRepository(session).by_token_hash(hash_token(token), for_update=True)
    if link is None:
        raise NotFound("No such onboarding link", code="unknown")
    now = now_utc()
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


def _advance(link: OnboardingLink, now: datetime) -> None:
    if current_step(link) == "done":
        link.completed_at = now


# ---- step 1: the company ----------------------------------------------------------------------


def identify_company(ppf, *, siren: str, siret: str | None, routing_code: str | None) -> dict:
    """The company (and establishment) of the register behind this line, as shown for confirmation."""
    from coursier.network.ppf import PPFNotFound, PPFUnavailable

    scope = DirectoryScope.parse(siren=siren, siret=siret or None, routing_code=routing_code or None)
    try:
        company = ppf.get_company(scope.siren)
    except PPFNotFound:
        raise InvalidInput(f"No company {scope.siren} in the register", code="company_not_found") from None
    except PPFUnavailable:
        raise RegisterUnavailable() from None
    if company.status != "A":
        raise InvalidInput(f"Company {scope.siren} has ceased", code="company_ceased")
    if scope.siret:
        establishment = next((e for e in company.establishments if e.siret == scope.siret), None)
        if establishment is None:
            raise InvalidInput(f"No establishment {scope.siret} in the register", code="establishment_not_found")
        if establishment.administrative_status != "A":
            raise InvalidInput(f"Establishment {scope.siret} is closed", code="establishment_closed")
    else:
        establishment = next((e for e in company.establishments if e.head_office), None)
    address = establishment.address if establishment is not None else None
    return {
        "siren": scope.siren,
        "siret": scope.siret,
        "routing_code": scope.routing_code,
        "name": company.legal_name,
        "address": None
        if address is None
        else {
            "line1": address.line1,
            "postal_code": address.postal_code,
            "city": address.city,
            "country_code": address.country_code,
        },
    }


def confirm_company(session: Session, link: OnboardingLink, company: dict, *, ppf, settings: Settings) -> Mandate:
    """Reserve the directory line with an unsigned mandate (a conflict is told to the client now)."""
    ctx = link_context(link)
    mandate = mandates.create_mandate(
        session,
        ctx,
        mandates.MandateRequest(siren=company["siren"], siret=company["siret"], routing_code=company["routing_code"]),
        ppf=ppf,
        our_platform_id=settings.pa_matricule,
        initial_status="pending_kyc" if link.include_kyc else "created",
    )
    if link.include_kyc:
        record_event(
            session,
            ctx,
            object_type="mandate",
            object_id=mandate.id,
            status_code="MandateLifecycleStatus.PENDING_KYC",
            details={"onboarding_link_id": link.id},
        )
    now = now_utc()
    link.company, link.identified_at, link.mandate_id = company, now, mandate.id
    _advance(link, now)
    return mandate


# ---- step 2: the signatory and the one-time code ------------------------------------------------


def _clean(value: str | None, limit: int) -> str:
    value = " ".join((value or "").split())
    if not value or len(value) > limit:
        raise InvalidInput(f"Every field is required (at most {limit} characters)", code="field_required")
    return value


def start_email_check(
    session: Session,
    link: OnboardingLink,
    *,
    first_name: str,
    last_name: str,
    role: str,
    email: str,
    ppf,
    settings: Settings,
) -> None:
    """Record who signs and send a code to their e-mail address."""
    try:
        address = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidInput("The e-mail address is not valid", code="invalid_email") from None
    link.signatory = {
        "first_name": _clean(first_name, 100),
        "last_name": _clean(last_name, 100),
        "role": _clean(role, 100),
        "email": address,
    }
    send_code(session, link, ppf=ppf, settings=settings)


def send_code(session: Session, link: OnboardingLink, *, ppf, settings: Settings) -> None:
    """A new code replaces the previous one; it is sent before anything is stored."""
    if link.otp_codes_sent >= OTP_MAX_CODES:
        raise InvalidInput("Too many codes were sent for this link", code="otp_send_limit")
    code = f"{secrets.randbelow(10**6):06d}"
    language = language_or_default(link.language)
    values = {
        "code": code,
        "first_name": link.signatory["first_name"],
        "company": link.company["name"],
        "sponsor": link.branding["name"],
    }
    mailer.send(
        settings,
        mailer.Mail(
            to=link.signatory["email"],
            subject=text(language, "mail.subject", **values),
            text=text(language, "mail.body", **values),
            sender_name=link.branding["name"],
        ),
        ppf=ppf,
    )
    link.otp_hash = _code_hash(link, code)
    link.otp_expires_at = now_utc() + OTP_LIFETIME
    link.otp_failed_attempts = 0
    link.otp_codes_sent += 1
    session.flush()


def _code_hash(link: OnboardingLink, code: str) -> str:
    # Bound to the link, so a hash copied to another row proves nothing there.
    return hashlib.sha256(f"{link.id}:{code}".encode()).hexdigest()


def verify_code(session: Session, link: OnboardingLink, code: str) -> None:
    """Accept the code once; a wrong try counts (the caller commits it), five end the code."""
    now = now_utc()
    if link.otp_hash is None:
        raise InvalidInput("No code is waiting", code="otp_missing")
    if link.otp_expires_at <= now:
        raise InvalidInput("The code has expired", code="otp_expired")
    if link.otp_failed_attempts >= OTP_MAX_FAILED_ATTEMPTS:
        raise InvalidInput("Too many wrong tries with this code", code="otp_exhausted")
    if not hmac.compare_digest(link.otp_hash, _code_hash(link, code.strip())):
        link.otp_failed_attempts += 1
        session.flush()
        tries_left = OTP_MAX_FAILED_ATTEMPTS - link.otp_failed_attempts
        if tries_left == 0:
            raise InvalidInput("Too many wrong tries with this code", code="otp_exhausted")
        raise InvalidInput("The code is not the right one", code="otp_invalid", extra={"tries_left": tries_left})
    link.otp_hash = None  # single use: the same code again finds nothing to match
    link.email_verified_at = link.kyc_completed_at = now
    mandate = mandate_of(session, link)
    if mandate is not None and mandate.status == "pending_kyc":
        mandate.status = "created"
        record_event(
            session,
            link_context(link),
            object_type="mandate",
            object_id=mandate.id,
            status_code="MandateLifecycleStatus.KYC_COMPLETED",
            details={"onboarding_link_id": link.id, "email_verified_at": now.isoformat()},
        )
    _advance(link, now)
    session.flush()


# ---- step 3: the mandate and its signature ------------------------------------------------------


def mandate_terms(session: Session, link: OnboardingLink, *, settings: Settings) -> mandate_document.MandateTerms:
    """What the mandate of this link says, from its reserved mandate and the confirmed company."""
    mandate = mandate_of(session, link)
    return mandate_document.MandateTerms(
        mandate_id=mandate.id,
        company_name=link.company["name"],
        company_address=link.company["address"],
        scope=DirectoryScope(
            siren=mandate.siren, suffix=mandate.suffix, siret=mandate.siret, routing_code=mandate.routing_code
        ),
        sponsor_name=SponsorRepository(session).get(link.sponsor_id).name,
        pa_matricule=settings.pa_matricule,
        start_date=mandate.start_date,
        end_date=mandate.end_date,
        issued_at=now_utc(),
    )


def mandate_pdf(session: Session, link: OnboardingLink, *, settings: Settings) -> Document:
    """The mandate to show: rendered once per language and kept, so the signer signs what was shown."""
    ctx = link_context(link)
    documents = DocumentRepository(session)
    if link.unsigned_document_id is not None:
        return documents.get(ctx, link.unsigned_document_id)
    terms = mandate_terms(session, link, settings=settings)
    content = mandate_document.render_mandate(terms, language_or_default(link.language))
    document = documents.store(
        ctx,
        kind="mandate_unsigned",
        media_type="application/pdf",
        filename=f"mandate-{terms.mandate_id}.pdf",
        content=content,
    )
    link.unsigned_document_id = document.id
    session.flush()
    return document


def _comparable_name(name: str) -> str:
    """Case, accents and spacing aside: "Élodie  MARTIN" signs for "elodie martin"."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sign_mandate(
    session: Session,
    link: OnboardingLink,
    *,
    full_name: str,
    consent: bool,
    document_sha256: str,
    ip: str | None,
    user_agent: str | None,
    settings: Settings,
) -> Mandate:
    if not consent:
        raise InvalidInput("The signer must tick the consent box", code="signature_consent_missing")
    full_name = _clean(full_name, 200)
    signatory = link.signatory
    if signatory is not None:
        expected = f"{signatory['first_name']} {signatory['last_name']}"
        if _comparable_name(full_name) != _comparable_name(expected):
            raise InvalidInput(
                "The name typed is not the signatory's", code="signature_name_mismatch", extra={"expected": expected}
            )
    shown = mandate_pdf(session, link, settings=settings)
    if not hmac.compare_digest(shown.sha256, document_sha256 or ""):
        raise InvalidInput("The mandate shown has changed", code="signature_document_changed")

    ctx = link_context(link)
    mandate = mandates.get_mandate(session, ctx, link.mandate_id, for_update=True)
    language = language_or_default(link.language)
    now = now_utc()
    evidence = mandate_document.SignatureEvidence(
        link_id=link.id,
        mandate_id=mandate.id,
        signed_at=now,
        signer_name=full_name,
        signer_role=signatory["role"] if signatory else None,
        signer_email=signatory["email"] if signatory else None,
        email_verified_at=link.email_verified_at,
        ip=ip,
        user_agent=(user_agent or "")[:500] or None,
        document_sha256=shown.sha256,
        consent=text(language, "signature.consent"),
    )
    signed_pdf = mandate_document.sign(shown.content, evidence, language)
    mandates.mark_signed(session, ctx, mandate, signed_pdf, filename=f"mandate-{mandate.id}-signed.pdf")
    signed = DocumentRepository(session).get(ctx, mandate.signed_document_id)
    link.evidence = {**evidence.as_record(), "signed_document_id": signed.id, "signed_document_sha256": signed.sha256}
    link.signed_document_id, link.signed_at = signed.id, now
    # The event names the evidence; who signed from where stays in the link's evidence record.
    record_event(
        session,
        ctx,
        object_type="mandate",
        object_id=mandate.id,
        status_code="MandateLifecycleStatus.SIGNED",
        details={
            "onboarding_link_id": link.id,
            "evidence_format": mandate_document.EVIDENCE_FORMAT,
            "document_sha256": shown.sha256,
            "signed_document_sha256": signed.sha256,
        },
    )
    _advance(link, now)
    session.flush()
    return mandate
