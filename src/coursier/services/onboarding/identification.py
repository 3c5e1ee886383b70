"""Step 1 of a link: the company, looked up in the register, and its directory line reserved."""

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.mandates import Mandate
from coursier.db.onboarding import OnboardingLink
from coursier.kit import clock
from coursier.kit.errors import CoursierError, InvalidInput
from coursier.network.ppf import PPFNotFound, PPFUnavailable
from coursier.services import mandates
from coursier.services.directory import DirectoryScope
from coursier.services.lifecycle import record_event
from coursier.services.onboarding.links import complete_when_done, link_context


class RegisterUnavailable(CoursierError):
    status = 503
    code = "register_unavailable"
    title = "The company register does not answer"


def identify_company(ppf, *, siren: str, siret: str | None, routing_code: str | None) -> dict:
    """The company (and establishment) of the register behind this line, as shown for confirmation."""
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
    now = clock.now()
    link.company, link.identified_at, link.mandate_id = company, now, mandate.id
    complete_when_done(link, now)
    return mandate
