"""/smp: the local SMP (Peppol SMP read interface; a JSON write interface for the platforms)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from coursier.sandbox import smp
from coursier.sandbox.deps import Caller, Db
from coursier.sandbox.schemas import SmpParticipant, SmpRegistration

router = APIRouter(prefix="/smp", tags=["SMP"])

Participant = Annotated[str, Path(description="iso6523-actorid-upis::0225:<addressing id>, percent-encoded")]
DocumentType = Annotated[str, Path(description="busdox-docid-qns::<document type>, percent-encoded")]
_XML = {200: {"content": {"application/xml": {}}}}


@router.put("/{participant}", summary="Publish a participant this platform serves (or take it over)")
def publish(participant: Participant, registration: SmpRegistration, conn: Db, caller: Caller) -> SmpParticipant:
    return smp.publish(conn, caller, participant, registration)


@router.delete("/{participant}", status_code=status.HTTP_204_NO_CONTENT, summary="Withdraw a participant")
def withdraw(participant: Participant, conn: Db, caller: Caller) -> Response:
    smp.withdraw(conn, caller, participant)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{participant}", summary="The participant's ServiceGroup", response_class=Response, responses=_XML)
def service_group(participant: Participant, request: Request, conn: Db) -> Response:
    base_url = str(request.base_url).rstrip("/") + "/smp"
    return Response(smp.service_group(conn, participant, base_url), media_type="application/xml")


@router.get(
    "/{participant}/services/{document_type}",
    summary="The participant's endpoint for one document type (SignedServiceMetadata)",
    response_class=Response,
    responses=_XML,
)
def service_metadata(participant: Participant, document_type: DocumentType, request: Request, conn: Db) -> Response:
    answer = smp.service_metadata(conn, participant, document_type, request.app.state.smp_signer)
    return Response(answer, media_type="application/xml")
