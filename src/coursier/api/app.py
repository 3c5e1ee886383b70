"""The FastAPI application: routers under /api, middleware, error handlers, lifespan."""

import asyncio
import contextlib
import logging

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from coursier import __version__
from coursier.api import (
    as4,
    clients,
    directory,
    drafts,
    health,
    invoicing,
    lifecycle,
    mandates,
    onboarding,
    reporting,
    settings,
    usage,
    webhooks,
)
from coursier.api.documentation import install_documentation
from coursier.api.middleware.budgets import BudgetMiddleware
from coursier.api.middleware.fairness import FairnessMiddleware
from coursier.api.middleware.idempotency import IdempotencyMiddleware
from coursier.api.middleware.request_context import RequestContextMiddleware
from coursier.api.middleware.transaction import TransactionMiddleware
from coursier.api.routing import API_PREFIX
from coursier.kit import cpu
from coursier.kit.problems import install_error_handlers
from coursier.network.mail import mailer_for
from coursier.runtime import Runtime
from coursier.services import clients as clients_service
from coursier.services import sponsors
from coursier.services.usage_limits import RateLimiter
from coursier.services.usage_recorder import Periodic, UsageRecorder
from coursier.web import dashboard
from coursier.web import onboarding as onboarding_pages

log = logging.getLogger(__name__)

# The directory routers come before the mandates router: /mandates/directory/{siren} is theirs.
API_ROUTERS = (
    clients.router,
    settings.router,
    usage.router,
    directory.router,
    directory.mandates_router,
    mandates.router,
    drafts.router,
    invoicing.router,
    reporting.router,
    onboarding.router,
    lifecycle.router,
    webhooks.router,
)


def create_app(runtime: Runtime, *, run_worker: bool = False) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        timers = (
            Periodic("usage-flusher", app.state.usage.flush, runtime.settings.usage_flush_seconds),
            Periodic("rate-limit-sync", app.state.rate_limits.sync, runtime.settings.rate_limit_sync_seconds),
        )
        for timer in timers:
            timer.start()
        try:
            if run_worker:
                async with runtime.jobs.open_async():
                    worker = asyncio.create_task(
                        runtime.jobs.run_worker_async(
                            concurrency=runtime.settings.worker_concurrency, install_signal_handlers=False
                        )
                    )
                    try:
                        yield
                    finally:
                        worker.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await worker
            else:
                yield
        finally:
            for timer in timers:
                timer.stop()

    app = FastAPI(
        title="Coursier API",
        version=__version__,
        description=(
            "PA-as-a-service for French B2B e-invoicing. Authenticate with a sponsor token in "
            "`Authorization`; name the client a call acts for in `X-PDP-Client-Id`. Errors are "
            "RFC 9457 problem documents with a stable `code`."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    cpu.task_seconds = runtime.settings.cpu_task_seconds
    sponsors.known_tokens.seconds = clients_service.known_clients.seconds = runtime.settings.auth_cache_seconds
    app.state.settings = runtime.settings
    app.state.sessions = runtime.sessions
    app.state.usage = UsageRecorder(runtime.sessions)
    app.state.rate_limits = RateLimiter(runtime.sessions, runtime.settings)
    # The PPF client is asked for at each send, so the sandbox mailbox follows the runtime's.
    app.state.mailer = mailer_for(runtime.settings, mailbox=lambda: runtime.connectors.mailbox)

    install_error_handlers(app)
    install_documentation(app)
    app.include_router(health.router)
    app.include_router(as4.router)
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(onboarding_pages.router)
    app.include_router(dashboard.router)
    app.mount(dashboard.STATIC_PATH, StaticFiles(directory=dashboard.STATIC_DIR), name="dashboard-static")
    # Each added one wraps the ones before: the request id exists before the transaction layer logs
    # anything; budgets are checked before a database connection is taken; fairness authenticates
    # in the transaction (a heavy request's slot lives as long as it) and refuses before any work;
    # idempotency runs inside the transaction it claims its key in, for the tenant authenticated.
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(FairnessMiddleware)
    app.add_middleware(TransactionMiddleware)
    app.add_middleware(BudgetMiddleware)
    app.add_middleware(RequestContextMiddleware)
    return app
