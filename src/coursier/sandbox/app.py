"""create_sandbox_app(config): the PPF sandbox as a FastAPI app, for its own process or in-process.

At its root: PISTE's token endpoint, the sandbox's own extras under `/sandbox/` (company register,
mailbox, outage switch, directory exports at once), the network between platforms (`/peers`), the
home page; the PPF's directory API, as published, at `annuaire.api.BASE_PATH`.
"""

import asyncio
import contextlib
import logging

from fastapi import FastAPI

from coursier import __version__
from coursier.kit.problems import install_error_handlers
from coursier.sandbox import exports, piste
from coursier.sandbox.annuaire.api import BASE_PATH, create_directory_api
from coursier.sandbox.config import ConfigError, SandboxConfig
from coursier.sandbox.register import seed_register
from coursier.sandbox.routes import admin, ereporting, home, mailbox, peers, register, smp, statuses
from coursier.sandbox.routes import exports as export_routes
from coursier.sandbox.sftp import start_sftp_server
from coursier.sandbox.smp import SmpSigner
from coursier.sandbox.storage import open_database

log = logging.getLogger(__name__)

ROUTERS = (
    home.router,
    piste.router,
    register.router,
    peers.router,
    smp.router,
    mailbox.router,
    export_routes.router,
    ereporting.router,
    statuses.router,
    admin.router,
)


def create_sandbox_app(config: SandboxConfig) -> FastAPI:
    """Opens (and creates) the sandbox database and seeds the register before returning."""
    smp_signer = _smp_signer(config)
    engine = open_database(config)
    with engine.begin() as conn:
        seed_register(conn, generated=config.seed_companies, csv_path=config.companies_csv)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # The flow exchange (DG §3.4) is SFTP only, on its own port, beside the HTTP API.
        sftp = await start_sftp_server(config, engine) if config.sftp_port is not None else None
        nightly = asyncio.create_task(exports.run_daily(engine, config)) if config.directory_exports else None
        try:
            yield
        finally:
            if nightly is not None:
                nightly.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await nightly
            if sftp is not None:
                sftp.close()
                await sftp.wait_closed()
            engine.dispose()

    app = FastAPI(
        title="Coursier PPF sandbox",
        version=__version__,
        description=(
            "A stand-in for the PPF: its directory API as published (PPF-DIR 1.11.0) at "
            f"`{BASE_PATH}` (documentation at `{BASE_PATH}/docs`), with PISTE access tokens from "
            f"`POST {piste.TOKEN_PATH}`; the flow exchange over SFTP. Here: the sandbox's own extras under "
            "`/sandbox/` (company register, development mailbox, outage switch, directory exports at once), "
            "the network between platforms (a store-and-forward inbox per platform) and a local Peppol SMP, with "
            "`Authorization: Bearer <platform token>`. Errors are RFC 9457 problem documents with a stable `code`."
        ),
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.engine = engine
    app.state.outage = admin.Outage()
    app.state.smp_signer = smp_signer
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount(BASE_PATH, create_directory_api(config, engine))
    app.add_middleware(admin.OutageSwitch, outage=app.state.outage)
    return app


def _smp_signer(config: SandboxConfig) -> SmpSigner | None:
    if (config.smp_key is None) != (config.smp_certificate is None):
        raise ConfigError("the SMP key and the SMP certificate go together: give both or neither")
    if config.smp_key is None or config.smp_certificate is None:
        log.warning("The local SMP has no key and certificate: its answers go unsigned, and are refused")
        return None
    return SmpSigner.load(config.smp_key, config.smp_certificate)
