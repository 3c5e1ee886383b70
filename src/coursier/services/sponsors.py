"""Sponsors and their API tokens: creation, listing, revocation, authentication."""

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.sponsors import ApiToken, Sponsor, SponsorRepository
from coursier.kit import clock
from coursier.kit.errors import NotFound
from coursier.kit.tenancy import TenantContext
from coursier.kit.ttl_cache import TtlCache

TOKEN_PREFIX = "csk_"
# Who each token recently seen is (token hash -> tenant): no database read per request. A token
# revoked by this process is refused at once, by another process within `seconds`
# (COURSIER_AUTH_CACHE_SECONDS, set at start-up). Unknown tokens are never kept.
known_tokens: TtlCache[str, TenantContext] = TtlCache(seconds=5)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_sponsor(session: Session, name: str) -> tuple[Sponsor, IssuedToken]:
    sponsor = SponsorRepository(session).add(Sponsor(id=new_id("spn"), name=name))
    return sponsor, issue_token(session, sponsor.id, name="default")


def issue_token(session: Session, sponsor_id: str, *, name: str) -> IssuedToken:
    repo = SponsorRepository(session)
    if repo.get(sponsor_id) is None:
        raise NotFound(f"No sponsor {sponsor_id}", code="sponsor_not_found")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    token = ApiToken(
        id=new_id("tok"),
        sponsor_id=sponsor_id,
        name=name,
        display_prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(secret),
    )
    return IssuedToken(token=repo.add_token(token), secret=secret)


def any_sponsor(session: Session) -> bool:
    return SponsorRepository(session).any()


def list_sponsors(session: Session) -> list[Sponsor]:
    return SponsorRepository(session).all()


def list_tokens(session: Session, sponsor_id: str) -> list[ApiToken]:
    return SponsorRepository(session).tokens_of(sponsor_id)


def revoke_token(session: Session, token_id: str, *, sponsor_id: str | None = None) -> ApiToken:
    """Revoke a token: any sponsor's from the command line, only `sponsor_id`'s when it is given."""
    token = SponsorRepository(session).get_token(token_id)
    if token is None or (sponsor_id is not None and token.sponsor_id != sponsor_id):
        raise NotFound(f"No token {token_id}", code="token_not_found")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        session.flush()
        known_tokens.clear_after_commit(session)
    return token


def authenticate(session: Session, secret: str) -> TenantContext | None:
    """The caller behind a token, or None for an unknown or revoked one."""
    token_hash = hash_token(secret)
    ctx = known_tokens.get(token_hash)
    if ctx is not None:
        return ctx
    generation = known_tokens.generation
    token = SponsorRepository(session).find_token_by_hash(token_hash)
    if token is None or token.revoked_at is not None:
        return None
    # last_used_at is written by the usage recorder's batched flush, not here: an UPDATE in every
    # request's transaction would serialise concurrent requests made with the same token.
    ctx = TenantContext(sponsor_id=token.sponsor_id, token_id=token.id)
    known_tokens.put(token_hash, ctx, generation)
    return ctx
