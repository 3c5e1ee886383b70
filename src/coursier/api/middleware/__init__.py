"""The ASGI middleware of the application, outermost first: `request_context` (request id, access
log, usage, unexpected errors), `transaction` (one database transaction per request), `idempotency`
(POSTs sent with an `Idempotency-Key` run once)."""
