"""/sandbox/directory-exports: an F14 export of the directory now, besides the nightly ones."""

from typing import Literal

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from coursier.formats.ppf import f14
from coursier.sandbox import exports
from coursier.sandbox.deps import Caller, Db

router = APIRouter(prefix="/sandbox", tags=["Sandbox: directory exports"])


class ExportRequest(BaseModel):
    kind: Literal["differential", "full"] = Field(
        "differential", description="differential: the changes since the last differential export; full: every line"
    )


class ExportMade(BaseModel):
    flows: list[str] = Field(description="The F14 flows left, one in each partner's SFTP space")


@router.post("/directory-exports", status_code=status.HTTP_201_CREATED, summary="Make an F14 export at once")
def make_export(body: ExportRequest, request: Request, conn: Db, caller: Caller) -> ExportMade:
    kind = f14.DIFFERENTIAL if body.kind == "differential" else f14.FULL
    return ExportMade(flows=exports.export(conn, request.app.state.config, kind))
