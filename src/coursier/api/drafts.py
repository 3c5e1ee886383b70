"""Invoice drafts: create, validate, finalize (`/api/drafts`)."""

from coursier.api.routing import Router

router = Router(prefix="/drafts", tags=["Drafts"])
