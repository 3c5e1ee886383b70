"""The sponsor dashboard under /dashboard: server-rendered pages for a sponsor's people, signed in
with a password (and optionally a TOTP code), seeing only their sponsor's data.

Each area is a routes module; they all render through `coursier.kit.render` with the texts of
`dashboard.*`, and read and change data through the services with the signed-in user's tenant
context, the one a token of the same sponsor gets from the API. Static files (styles, scripts,
the vendored charts library and htmx) are served from `STATIC_DIR` under `STATIC_PATH`.

Not here yet: the lifecycle actions an invoice allows (block `lifecycle_actions` of
`dashboard/invoices/detail.html.j2`).
"""

from pathlib import Path

from fastapi import APIRouter

from coursier.web.dashboard import admin, auth, clients, drafts, events, invoices, usage, webhooks
from coursier.web.dashboard.common import PREFIX

STATIC_PATH = PREFIX + "/static"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "dashboard"

AREAS = (
    auth.router,
    clients.router,
    invoices.router,
    drafts.router,
    events.router,
    webhooks.router,
    usage.router,
    admin.router,
)

router = APIRouter(include_in_schema=False)
for area in AREAS:
    router.include_router(area)
