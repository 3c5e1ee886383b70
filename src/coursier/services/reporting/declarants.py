"""Who declares: the client's company, by the SIREN of one of its active mandates (a platform
reports for its own clients only), and the VAT settings that decide its calendar."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from coursier.db.clients import ClientRepository, ClientSettingsRepository
from coursier.db.mandates import MandateRepository
from coursier.kit.errors import Unprocessable
from coursier.kit.tenancy import TenantContext
from coursier.model.reporting import VatRegime


@dataclass(frozen=True)
class Declarant:
    siren: str
    name: str  # TT-14
    regime: VatRegime
    vat_on_debits: bool


def sirens_of(session: Session, ctx: TenantContext) -> set[str]:
    return {mandate.siren for mandate in MandateRepository(session).active_of(ctx)}


def declarant(session: Session, ctx: TenantContext, siren: str | None = None) -> Declarant:
    """The client as declarant: the SIREN given, which must be one of its own, or its only one."""
    mandates = {mandate.siren: mandate for mandate in MandateRepository(session).active_of(ctx)}
    if siren is not None and siren not in mandates:
        raise Unprocessable(
            f"The client has no active mandate for SIREN {siren}: it reports only its own operations",
            code="declarant_not_client",
        )
    if siren is None:
        if not mandates:
            raise Unprocessable(
                "The client has no active mandate: e-reporting needs the SIREN of its company", code="no_declarant"
            )
        if len(mandates) > 1:
            raise Unprocessable(
                f"The client reports for several companies ({', '.join(sorted(mandates))}): say which in `siren`",
                code="declarant_ambiguous",
            )
        siren = next(iter(mandates))
    entry = mandates[siren].directory_entry or {}
    settings = ClientSettingsRepository(session).get_or_404(ctx, ctx.client_id)
    name = entry.get("name") or ClientRepository(session).get_or_404(ctx, ctx.client_id).organization_name
    return Declarant(siren, name, VatRegime(settings.vat_regime), settings.vat_on_debits)
