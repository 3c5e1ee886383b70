"""POST /as4: this platform's Peppol AS4 endpoint, where the other platforms push their messages.

Outside /api: the caller is an access point, authenticated by its message signature, not by a
token. The request runs in its own transaction (not the API's): what the message carries is
committed, and only then is the signed receipt sent; a refusal (an ebMS error signal) or a failed
commit leaves nothing. Served over whatever the server listens on: HTTPS in production (a TLS
front), plain HTTP on loopback for tests and demos on one machine.
"""

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from coursier.services import network

router = APIRouter(tags=["Peppol AS4"])

AS4_PATH = "/as4"


@router.post(
    AS4_PATH,
    summary="Receive an AS4 message from another platform (Peppol AS4 profile, One-Way/Push)",
    response_class=Response,
    responses={200: {"description": "A signed receipt or ebMS error signal", "content": {"application/soap+xml": {}}}},
)
async def receive(request: Request) -> Response:
    connectors = request.app.state.runtime.connectors
    if connectors.as4 is None:
        raise HTTPException(404, "This platform does not receive over AS4 (COURSIER_PEER_TRANSPORT)")
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    settings, sessions = request.app.state.settings, request.app.state.sessions

    def receive_and_commit() -> network.Reception:
        with sessions() as session:
            reception = network.receive_as4(
                session, connectors.as4, content_type=content_type, body=body, settings=settings
            )
            if reception.stored:
                session.commit()
            else:
                session.rollback()
            return reception

    reception = await run_in_threadpool(receive_and_commit)
    return Response(reception.signal.body, status_code=200, headers=reception.signal.headers)
