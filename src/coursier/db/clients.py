"""Clients of a sponsor and their settings."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Select, String, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from coursier.db.base import Base, created_at_column, updated_at_column
from coursier.db.repository import ScopedRepository
from coursier.kit.tenancy import TenantContext

# The status of a deleted client that had a history: no read shows it again.
DELETED = "deleted"


class Client(Base):
    __tablename__ = "clients"
    __table_args__ = (UniqueConstraint("sponsor_id", "external_ref"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    organization_name: Mapped[str] = mapped_column(String(255), nullable=False)
    # Optional: a client registered through /clients/pdp-clients gives no contact.
    contact_email: Mapped[str | None] = mapped_column(String(255))
    external_ref: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()


class ClientSettings(Base):
    """One row per client; the defaults are the columns' defaults (documented in the API schema)."""

    __tablename__ = "client_settings"

    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    sponsor_id: Mapped[str] = mapped_column(ForeignKey("sponsors.id", ondelete="RESTRICT"), index=True)
    received_invoice_format: Mapped[str] = mapped_column(String(16), nullable=False, default="original")
    language: Mapped[str] = mapped_column(String(2), nullable=False, default="fr")
    invoice_number_pattern: Mapped[str] = mapped_column(String(100), nullable=False, default="F{YYYY}-{SEQ:6}")
    auto_acknowledge_received: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    notification_email: Mapped[str | None] = mapped_column(String(255))
    # E-reporting: the client's VAT regime decides its periods and deadlines (model.reporting.VatRegime);
    # with the option for VAT on debits no payment data is due (DG §3.7.6 note 119).
    vat_regime: Mapped[str] = mapped_column(String(24), nullable=False, default="normal_monthly")
    vat_on_debits: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[datetime | None] = updated_at_column()


class ClientRepository(ScopedRepository[Client]):
    model = Client
    noun = "client"
    client_scoped = False  # a client is not a client's row: the sponsor sees all of its own

    def get_by_external_ref(self, ctx: TenantContext, external_ref: str) -> Client | None:
        return self.session.scalar(self.readable(ctx).where(Client.external_ref == external_ref))

    def all_of(self, ctx: TenantContext) -> list[Client]:
        """Every client the caller sees, oldest first."""
        return list(self.session.scalars(self.readable(ctx).order_by(Client.created_at, Client.id)))

    def add_with_settings(self, client: Client, settings: ClientSettings) -> Client:
        self.session.add(client)
        self.session.flush()
        self.session.add(settings)
        self.session.flush()
        return client

    @classmethod
    def readable(cls, ctx: TenantContext) -> Select[tuple[Client]]:
        return super().readable(ctx).where(Client.status != DELETED)

    def delete(self, client: Client) -> None:
        """Remove a client with no history; one with a history (mandates, invoices, documents,
        drafts, which reference it) is marked deleted instead: hidden from every read, its
        history kept as evidence."""
        try:
            with self.session.begin_nested():
                self.session.delete(client)
                self.session.flush()
        except IntegrityError:
            client.status = DELETED
            self.session.flush()


class ClientSettingsRepository(ScopedRepository[ClientSettings]):
    model = ClientSettings
    # A client without its settings row is a client unknown to the caller: the same 404.
    noun = "client"
    id_column = "client_id"
