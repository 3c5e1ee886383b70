"""What Coursier keeps of the national directory, platform-wide (the directory is public, its
answers the same for every tenant):

- `DirectoryCacheEntry`: the PPF's answers to lookups, for a short while, shared by every process;
- `DirectoryLineCopy`: the lines the PPF's F14 exports brought (DG §3.5.4), the current instance of
  each line (an addressing identifier and a start date), for when the directory API cannot be
  reached.
"""

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, String, delete, or_, select, tuple_
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from coursier.db.base import Base


class DirectoryCacheEntry(Base):
    __tablename__ = "directory_cache"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    # Every entry concerns one SIREN, so our own changes to a SIREN's lines drop its entries.
    siren: Mapped[str | None] = mapped_column(String(9), index=True)
    value: Mapped[dict | None] = mapped_column(JSONB)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class DirectoryCacheRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def fresh(self, key: str, now: datetime) -> DirectoryCacheEntry | None:
        return self.session.scalar(
            select(DirectoryCacheEntry).where(DirectoryCacheEntry.key == key, DirectoryCacheEntry.expires_at > now)
        )

    def fresh_values(self, keys: list[str], now: datetime) -> dict[str, dict | None]:
        """Key → value of the entries of `keys` still fresh."""
        if not keys:
            return {}
        stmt = select(DirectoryCacheEntry.key, DirectoryCacheEntry.value).where(
            DirectoryCacheEntry.key.in_(keys), DirectoryCacheEntry.expires_at > now
        )
        return dict(self.session.execute(stmt).all())

    def put(self, key: str, siren: str | None, value: dict | None, expires_at: datetime) -> None:
        stmt = insert(DirectoryCacheEntry).values(key=key, siren=siren, value=value, expires_at=expires_at)
        self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["key"], set_={"value": stmt.excluded.value, "expires_at": stmt.excluded.expires_at}
            )
        )

    def drop_siren(self, siren: str) -> None:
        self.session.execute(delete(DirectoryCacheEntry).where(DirectoryCacheEntry.siren == siren))

    def drop_sirens(self, sirens: Iterable[str]) -> None:
        self.session.execute(delete(DirectoryCacheEntry).where(DirectoryCacheEntry.siren.in_(list(sirens))))


class DirectoryLineCopy(Base):
    """The current instance of a line as the exports told it: a line is its addressing identifier
    and its start (two definition lines of one level never overlap, annex 7 G1.86)."""

    __tablename__ = "directory_lines"

    address: Mapped[str] = mapped_column(String(125), primary_key=True)  # identifiantAdressage
    effective_from: Mapped[date] = mapped_column(Date, primary_key=True)
    instance_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    siren: Mapped[str] = mapped_column(String(9), nullable=False, index=True)
    siret: Mapped[str | None] = mapped_column(String(14))
    routing_code: Mapped[str | None] = mapped_column(String(100))
    suffix: Mapped[str | None] = mapped_column(String(100))
    platform_id: Mapped[str] = mapped_column(String(4), nullable=False)
    effective_to: Mapped[date | None] = mapped_column(Date)
    masked: Mapped[bool] = mapped_column(Boolean, nullable=False)
    defined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class DirectoryCopyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def keep(self, instances: Iterable[dict]) -> None:
        """Record instances (the columns of `DirectoryLineCopy`); of two instances of one line the
        later defined one stays, whatever the order they come in."""
        for values in instances:
            stmt = insert(DirectoryLineCopy).values(**values)
            newer = tuple_(stmt.excluded.defined_at, stmt.excluded.instance_id) > tuple_(
                DirectoryLineCopy.defined_at, DirectoryLineCopy.instance_id
            )
            self.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["address", "effective_from"],
                    set_={name: stmt.excluded[name] for name in values if name not in ("address", "effective_from")},
                    where=newer,
                )
            )

    def drop_missing(self, kept: set[tuple[str, date]], defined_until: datetime) -> None:
        """A full export lists every line in force: the lines it leaves out are gone, unless a change
        defined after the export brought them."""
        stale = [DirectoryLineCopy.defined_at <= defined_until]
        if kept:
            stale.append(tuple_(DirectoryLineCopy.address, DirectoryLineCopy.effective_from).not_in(list(kept)))
        self.session.execute(delete(DirectoryLineCopy).where(*stale))

    def lines_in_force(self, siren: str, on: date) -> list[DirectoryLineCopy]:
        return list(
            self.session.scalars(
                select(DirectoryLineCopy).where(
                    DirectoryLineCopy.siren == siren,
                    ~DirectoryLineCopy.masked,
                    DirectoryLineCopy.effective_from <= on,
                    or_(DirectoryLineCopy.effective_to.is_(None), DirectoryLineCopy.effective_to > on),
                )
            )
        )
