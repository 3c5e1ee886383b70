"""Sending and receiving invoices (`/api/invoicing`)."""

from coursier.api.routing import Router

router = Router(prefix="/invoicing", tags=["Invoicing"])
