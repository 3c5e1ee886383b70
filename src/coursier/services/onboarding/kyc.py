"""Step 2 of a link: who signs, and the one-time code that proves their e-mail address."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from coursier.db.onboarding import OnboardingLink
from coursier.kit import clock
from coursier.kit.errors import InvalidInput
from coursier.kit.texts import parse_language, text
from coursier.network.mail import Mail, Mailer
from coursier.services.lifecycle import record_event
from coursier.services.onboarding.links import complete_when_done, link_context, mandate_of

OTP_LIFETIME = timedelta(minutes=10)
OTP_MAX_FAILED_ATTEMPTS = 5
# Codes one link may send: bounds the e-mails a leaked link can trigger, and the guesses.
OTP_MAX_CODES = 5


def required_field(value: str | None, limit: int) -> str:
    """A form field the client must fill in, its spacing tidied."""
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
    mailer: Mailer,
) -> None:
    """Record who signs and send a code to their e-mail address."""
    try:
        address = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidInput("The e-mail address is not valid", code="invalid_email") from None
    link.signatory = {
        "first_name": required_field(first_name, 100),
        "last_name": required_field(last_name, 100),
        "role": required_field(role, 100),
        "email": address,
    }
    send_code(session, link, mailer=mailer)


def send_code(session: Session, link: OnboardingLink, *, mailer: Mailer) -> None:
    """A new code replaces the previous one; it is sent before anything is stored."""
    if link.otp_codes_sent >= OTP_MAX_CODES:
        raise InvalidInput("Too many codes were sent for this link", code="otp_send_limit")
    code = f"{secrets.randbelow(10**6):06d}"
    language = parse_language(link.language)
    values = {
        "code": code,
        "first_name": link.signatory["first_name"],
        "company": link.company["name"],
        "sponsor": link.branding["name"],
    }
    mailer.send(
        Mail(
            to=link.signatory["email"],
            subject=text(language, "mail.one_time_code.subject", **values),
            text=text(language, "mail.one_time_code.body", **values),
            sender_name=link.branding["name"],
        )
    )
    link.otp_hash = _code_hash(link, code)
    link.otp_expires_at = clock.now() + OTP_LIFETIME
    link.otp_failed_attempts = 0
    link.otp_codes_sent += 1
    session.flush()


def _code_hash(link: OnboardingLink, code: str) -> str:
    # Bound to the link, so a hash copied to another row proves nothing there.
    return hashlib.sha256(f"{link.id}:{code}".encode()).hexdigest()


def verify_code(session: Session, link: OnboardingLink, code: str) -> None:
    """Accept the code once; a wrong try counts (the caller commits it), five end the code."""
    now = clock.now()
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
    complete_when_done(link, now)
    session.flush()
