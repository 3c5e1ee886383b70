"""Dashboard users of a sponsor: accounts, invitations, sign-in with an optional second factor,
sessions, and the sponsor's admins managing them.

An account starts as an invitation (a link with a 256-bit token, of which only the SHA-256 is
kept); accepting it sets the password. Passwords are hashed with argon2id. Repeated failures
lock the account for a time that doubles with each further failure. A session is a random token
in an HttpOnly cookie, stored hashed, so signing out (here or everywhere) ends it for good; its
CSRF token is derived from it and needs no storage.
"""

import hashlib
import hmac
import math
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.sponsor_users import SponsorUser, SponsorUserRepository, UserSession, UserSessionRepository
from coursier.db.sponsors import SponsorRepository
from coursier.kit import clock
from coursier.kit.errors import Conflict, CoursierError, InvalidInput, NotFound
from coursier.kit.tenancy import TenantContext
from coursier.kit.texts import Language, parse_language, text
from coursier.network.mail import Mail, Mailer
from coursier.services.sponsors import hash_token

ADMIN, OPERATOR = "admin", "operator"
ROLES = (ADMIN, OPERATOR)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
INVITATION_LIFETIME = timedelta(days=7)
SESSION_IDLE_TIMEOUT = timedelta(hours=8)
SESSION_LIFETIME = timedelta(days=7)
SECOND_FACTOR_WINDOW = timedelta(minutes=5)
# A session's last_seen_at is written at most this often: not one UPDATE per page.
_SEEN_RESOLUTION = timedelta(minutes=1)
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)
TOTP_ISSUER = "Coursier"

# argon2id with its library's defaults (64 MiB, 3 passes, 4 lanes): each check holds 64 MiB,
# so only a few run at once, whatever the number of request threads.
_hasher = PasswordHasher()
_hashing = threading.BoundedSemaphore(4)
# Checked when the e-mail is unknown, so that an answer takes as long either way.
_UNKNOWN_USER_HASH = _hasher.hash(secrets.token_urlsafe(16))


class SignInRefused(CoursierError):
    status = 401
    code = "invalid_credentials"
    title = "Wrong e-mail or password"


class InvitationGone(CoursierError):
    status = 410
    code = "invitation_gone"
    title = "This invitation can no longer be used"


@dataclass(frozen=True)
class Invitation:
    user: SponsorUser
    token: str  # shown once (printed, e-mailed), never stored

    def url(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/dashboard/invitation/{self.token}"


@dataclass(frozen=True)
class SignedIn:
    user: SponsorUser
    session: UserSession
    token: str  # the cookie's value

    @property
    def needs_second_factor(self) -> bool:
        return self.session.second_factor_pending


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str
    uri: str  # otpauth://, for an authenticator app


def user_context(user: SponsorUser) -> TenantContext:
    """What a signed-in user may see: its sponsor's data, as a token of that sponsor would."""
    return TenantContext(sponsor_id=user.sponsor_id)


# ---- passwords -------------------------------------------------------------------------------------


def _hash_password(password: str) -> str:
    with _hashing:
        return _hasher.hash(password)


def _password_matches(password_hash: str, password: str) -> bool:
    with _hashing:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def check_new_password(user: SponsorUser, password: str, confirmation: str) -> None:
    if password != confirmation:
        raise InvalidInput("The two passwords differ", code="password_mismatch")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password has at least {MIN_PASSWORD_LENGTH} characters",
            code="password_too_short",
            extra={"length": MIN_PASSWORD_LENGTH},
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password has at most {MAX_PASSWORD_LENGTH} characters",
            code="password_too_long",
            extra={"length": MAX_PASSWORD_LENGTH},
        )
    if password.strip().lower() == user.email:
        raise InvalidInput("The password cannot be the e-mail address", code="password_is_email")


# ---- accounts and invitations ----------------------------------------------------------------------


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or len(email) > 255 or any(c.isspace() for c in email):
        raise InvalidInput("This is not an e-mail address", code="invalid_email")
    return email


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"role is one of {', '.join(ROLES)}", code="invalid_role")


def invite_user(session: Session, sponsor_id: str, email: str, *, role: str, language: str = "fr") -> Invitation:
    """A new user of the sponsor, who sets its password through the invitation returned.

    An e-mail already invited by the same sponsor and not yet signed up gets a new invitation
    (the earlier link stops working); any other existing account keeps its e-mail.
    """
    _check_role(role)
    email = normalise_email(email)
    if SponsorRepository(session).get(sponsor_id) is None:
        raise NotFound(f"No sponsor {sponsor_id}", code="sponsor_not_found")
    users = SponsorUserRepository(session)
    user = users.by_email(email, for_update=True)
    if user is None:
        user = users.add(
            SponsorUser(
                id=new_id("usr"),
                sponsor_id=sponsor_id,
                email=email,
                role=role,
                language=parse_language(language),
                failed_attempts=0,
            )
        )
    elif user.sponsor_id != sponsor_id or user.password_hash is not None:
        raise Conflict("This e-mail address already has an account", code="user_email_taken")
    else:
        user.role = role
    token = secrets.token_urlsafe(32)
    user.invitation_hash = hash_token(token)
    user.invitation_expires_at = clock.now() + INVITATION_LIFETIME
    session.flush()
    return Invitation(user, token)


def send_invitation(mailer: Mailer, invitation: Invitation, *, base_url: str, invited_by: SponsorUser) -> None:
    user = invitation.user
    language = parse_language(user.language)
    mailer.send(
        Mail(
            to=user.email,
            subject=text(language, "dashboard.mail.invitation.subject"),
            text=text(
                language,
                "dashboard.mail.invitation.body",
                inviter=invited_by.email,
                url=invitation.url(base_url),
                days=INVITATION_LIFETIME.days,
            ),
        )
    )


def open_invitation(session: Session, token: str) -> SponsorUser:
    """The user an invitation link is for, while the link can be used."""
    user = SponsorUserRepository(session).by_invitation_hash(hash_token(token))
    if user is None or user.invitation_expires_at is None or user.invitation_expires_at <= clock.now():
        raise InvitationGone()
    return user


def accept_invitation(session: Session, token: str, password: str, confirmation: str, **origin) -> SignedIn:
    """Set the invited user's password; the user is then signed in."""
    user = open_invitation(session, token)
    check_new_password(user, password, confirmation)
    user.password_hash = _hash_password(password)
    user.invitation_hash = None
    user.invitation_expires_at = None
    session.flush()
    return _open_session(session, user, second_factor_pending=False, **origin)


def list_users_query(ctx: TenantContext) -> Select[tuple[SponsorUser]]:
    return SponsorUserRepository.readable(ctx)


def change_role(session: Session, ctx: TenantContext, user_id: str, role: str) -> SponsorUser:
    _check_role(role)
    user = SponsorUserRepository(session).get_or_404(ctx, user_id, for_update=True)
    if role != ADMIN:
        _keep_an_admin(session, ctx, leaving=user)
    user.role = role
    session.flush()
    return user


def remove_user(session: Session, ctx: TenantContext, user_id: str) -> None:
    """The account and its sessions go; the sponsor keeps at least one admin."""
    users = SponsorUserRepository(session)
    user = users.get_or_404(ctx, user_id, for_update=True)
    _keep_an_admin(session, ctx, leaving=user)
    users.delete(user)


def _keep_an_admin(session: Session, ctx: TenantContext, *, leaving: SponsorUser) -> None:
    others = [admin for admin in SponsorUserRepository(session).admins(ctx) if admin.id != leaving.id]
    if leaving.role == ADMIN and not others:
        raise Conflict("The sponsor must keep at least one admin", code="last_admin")


def set_language(session: Session, user: SponsorUser, language: Language) -> None:
    user.language = language
    session.flush()


# ---- signing in ------------------------------------------------------------------------------------


def _lock_for(failures: int) -> timedelta | None:
    """None for the first free attempts, then one minute doubling with each failure, up to an hour."""
    if failures < FREE_ATTEMPTS:
        return None
    return min(FIRST_LOCK * 2 ** (failures - FREE_ATTEMPTS), LONGEST_LOCK)


def _refuse_while_locked(user: SponsorUser) -> None:
    now = clock.now()
    if user.locked_until is not None and user.locked_until > now:
        remaining = (user.locked_until - now).total_seconds()
        minutes = max(1, math.ceil(remaining / 60))
        raise SignInRefused(
            "Too many failed attempts: the account is locked for a while",
            code="account_locked",
            extra={"minutes": minutes},
        )


def _record_failure(user: SponsorUser) -> None:
    user.failed_attempts += 1
    lock = _lock_for(user.failed_attempts)
    if lock is not None:
        user.locked_until = clock.now() + lock


def sign_in(session: Session, email: str, password: str, **origin) -> SignedIn:
    """Check an e-mail and password; the session returned may still wait for the second factor.

    A failure is recorded on the account: the caller's transaction must commit it.
    """
    try:
        address = normalise_email(email)
    except InvalidInput:
        address = None
    user = SponsorUserRepository(session).by_email(address, for_update=True) if address else None
    if user is None or user.password_hash is None:
        _password_matches(_UNKNOWN_USER_HASH, password)
        raise SignInRefused()
    _refuse_while_locked(user)
    if not _password_matches(user.password_hash, password):
        _record_failure(user)
        session.flush()
        raise SignInRefused()
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hash_password(password)
    pending = user.totp_enabled_at is not None
    if not pending:
        _signed_in(user)
    session.flush()
    return _open_session(session, user, second_factor_pending=pending, **origin)


def _signed_in(user: SponsorUser) -> None:
    user.failed_attempts = 0
    user.locked_until = None
    user.last_sign_in_at = clock.now()


def give_second_factor(session: Session, token: str, code: str) -> SignedIn:
    """The code of the user's authenticator app completes a sign-in waiting for it."""
    user_session = _live_session(session, token, allow_pending=True)
    if user_session is None or not user_session.second_factor_pending:
        raise SignInRefused("Sign in again", code="sign_in_again")
    user = _user_of(session, user_session, for_update=True)
    _refuse_while_locked(user)
    if not _accept_totp_code(user, code):
        _record_failure(user)
        session.flush()
        raise SignInRefused("The code is not right", code="invalid_code")
    _signed_in(user)
    user_session.second_factor_pending = False
    session.flush()
    return SignedIn(user, user_session, token)


def _open_session(
    session: Session, user: SponsorUser, *, second_factor_pending: bool, ip: str | None, user_agent: str | None
) -> SignedIn:
    now = clock.now()
    token = secrets.token_urlsafe(32)
    lifetime = SECOND_FACTOR_WINDOW if second_factor_pending else SESSION_LIFETIME
    user_session = UserSessionRepository(session).add(
        UserSession(
            id=new_id("ses"),
            sponsor_id=user.sponsor_id,
            user_id=user.id,
            token_hash=hash_token(token),
            second_factor_pending=second_factor_pending,
            last_seen_at=now,
            expires_at=now + lifetime,
            ip=(ip or "")[:64] or None,
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    return SignedIn(user, user_session, token)


def _user_of(session: Session, user_session: UserSession, *, for_update: bool = False) -> SponsorUser:
    ctx = TenantContext(sponsor_id=user_session.sponsor_id)
    return SponsorUserRepository(session).get_or_404(ctx, user_session.user_id, for_update=for_update)


def _live_session(session: Session, token: str, *, allow_pending: bool = False) -> UserSession | None:
    user_session = UserSessionRepository(session).by_token_hash(hash_token(token))
    now = clock.now()
    if (
        user_session is None
        or user_session.revoked_at is not None
        or user_session.expires_at <= now
        or user_session.last_seen_at + SESSION_IDLE_TIMEOUT <= now
        or (user_session.second_factor_pending and not allow_pending)
    ):
        return None
    return user_session


def authenticate(session: Session, token: str | None) -> SignedIn | None:
    """The signed-in user behind a session cookie, or None (unknown, ended, idle, half signed in)."""
    if not token:
        return None
    user_session = _live_session(session, token)
    if user_session is None:
        return None
    user = _user_of(session, user_session)
    now = clock.now()
    if now - user_session.last_seen_at >= _SEEN_RESOLUTION:
        user_session.last_seen_at = now
        session.flush()
    return SignedIn(user, user_session, token)


def csrf_token(session_token: str) -> str:
    """The CSRF token of a session: derived from its secret, so a page of another session cannot
    carry it, and nothing is stored."""
    return hmac.new(session_token.encode(), b"dashboard-csrf", hashlib.sha256).hexdigest()


def csrf_matches(session_token: str, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(csrf_token(session_token), submitted)


def sign_out(session: Session, token: str) -> None:
    user_session = UserSessionRepository(session).by_token_hash(hash_token(token))
    if user_session is not None and user_session.revoked_at is None:
        user_session.revoked_at = clock.now()
        session.flush()


def sign_out_everywhere(session: Session, user: SponsorUser) -> None:
    UserSessionRepository(session).revoke_all_of(user.id, clock.now())


def _check_current_password(user: SponsorUser, password: str) -> None:
    if not _password_matches(user.password_hash, password):
        raise InvalidInput("The current password is not right", code="wrong_password")


def change_password(session: Session, signed_in: SignedIn, current: str, password: str, confirmation: str) -> None:
    """A new password ends every other session of the user."""
    user = signed_in.user
    _check_current_password(user, current)
    check_new_password(user, password, confirmation)
    user.password_hash = _hash_password(password)
    UserSessionRepository(session).revoke_all_of(user.id, clock.now(), sparing=signed_in.session.id)
    session.flush()


# ---- second factor (TOTP, RFC 6238) -------------------------------------------------------------------


def start_totp(session: Session, user: SponsorUser) -> TotpEnrolment:
    """A new secret for the user's authenticator app; the factor is on once a code is confirmed."""
    if user.totp_enabled_at is not None:
        raise Conflict("The second factor is already on", code="totp_already_enabled")
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    session.flush()
    return totp_enrolment(user)


def totp_enrolment(user: SponsorUser) -> TotpEnrolment:
    totp = pyotp.TOTP(user.totp_secret)
    return TotpEnrolment(user.totp_secret, totp.provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER))


def confirm_totp(session: Session, user: SponsorUser, code: str) -> None:
    if user.totp_secret is None or user.totp_enabled_at is not None:
        raise Conflict("Start the second factor's set-up first", code="totp_not_started")
    if not _accept_totp_code(user, code):
        raise InvalidInput("The code is not right", code="invalid_code")
    user.totp_enabled_at = clock.now()
    session.flush()


def disable_totp(session: Session, user: SponsorUser, password: str) -> None:
    _check_current_password(user, password)
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.flush()


def _accept_totp_code(user: SponsorUser, code: str) -> bool:
    """A code of the current 30-second step or of either neighbour (clocks drift), each used once."""
    code = "".join(code.split())
    if user.totp_secret is None or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(clock.now())
    for step in (current - 1, current, current + 1):
        if (user.totp_last_step is None or step > user.totp_last_step) and hmac.compare_digest(
            totp.generate_otp(step), code
        ):
            user.totp_last_step = step
            return True
    return False
