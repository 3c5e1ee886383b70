"""Secrets sealed at rest (db/sealed.py): re-sealing the stored ones with the first key of the key
set, once an operator has put a new key first (the old ones stay after it until this is done)."""

from sqlalchemy.orm import Session

from coursier.db.sealed import Rewritten, SealedColumns, process_keyring, rewrite_stored, sealed_columns
from coursier.db.tables import metadata


def stored_secrets() -> list[SealedColumns]:
    """The tables holding sealed secrets, and their sealed columns."""
    return sealed_columns(metadata)


def reseal_batch(session: Session, sealed: SealedColumns, *, after: str | None, limit: int) -> Rewritten:
    """Re-seal with the first key the values of up to `limit` rows after `after` that an older key sealed."""
    return rewrite_stored(session, sealed, process_keyring().reseal, after=after, limit=limit)
