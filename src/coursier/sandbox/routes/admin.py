"""/sandbox/admin and /healthz: the outage switch tests use, and liveness. Both stay up during an outage."""

from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from coursier.kit.problems import problem_response
from coursier.sandbox.deps import Caller
from coursier.sandbox.schemas import Availability

router = APIRouter(tags=["Sandbox: administration"])

ALWAYS_UP = ("/sandbox/admin/", "/healthz")


@dataclass
class Outage:
    active: bool = False
    status_code: int = 503


class OutageSwitch:
    """While an outage is played, every endpoint but /sandbox/admin and /healthz answers its status:
    the directory API, the token endpoint, the network between platforms, the mailbox."""

    def __init__(self, app: ASGIApp, outage: Outage) -> None:
        self.app = app
        self.outage = outage

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.outage.active and not scope["path"].startswith(ALWAYS_UP):
            response = problem_response(
                self.outage.status_code, "ppf_unavailable", "The PPF sandbox is playing an outage"
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _availability(outage: Outage) -> Availability:
    return Availability(available=not outage.active, status_code=outage.status_code)


@router.post("/sandbox/admin/availability", summary="Start or end an outage")
def set_availability(body: Availability, request: Request, caller: Caller) -> Availability:
    outage: Outage = request.app.state.outage
    outage.active, outage.status_code = not body.available, body.status_code
    return _availability(outage)


@router.get("/sandbox/admin/availability", summary="Whether an outage is being played")
def get_availability(request: Request, caller: Caller) -> Availability:
    return _availability(request.app.state.outage)


@router.get("/healthz", summary="The process is up")
def healthz(request: Request) -> dict:
    return {"status": "ok", "available": not request.app.state.outage.active}
