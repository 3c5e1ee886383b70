"""create_sandbox_app(config): the PPF sandbox as a FastAPI app, for its own process or in-process."""

import contextlib

from fastapi import FastAPI

from coursier import __version__
from coursier.kit.problems import install_error_handlers
from coursier.sandbox.config import SandboxConfig
from coursier.sandbox.register import seed_register
from coursier.sandbox.routes import admin, directory, home, mailbox, peers, register, smp
from coursier.sandbox.sftp import start_sftp_server
from coursier.sandbox.storage import open_database

ROUTERS = (home.router, register.router, directory.router, peers.router, smp.router, mailbox.router, admin.router)


def create_sandbox_app(config: SandboxConfig) -> FastAPI:
    """Opens (and creates) the sandbox database and seeds the register before returning."""
    engine = open_database(config)
    with engine.begin() as conn:
        seed_register(conn, generated=config.seed_companies, csv_path=config.companies_csv)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # The flow exchange (DG §3.4) is SFTP only, on its own port, beside the HTTP API.
        sftp = await start_sftp_server(config, engine) if config.sftp_port is not None else None
        try:
            yield
        finally:
            if sftp is not None:
                sftp.close()
                await sftp.wait_closed()
            engine.dispose()

    app = FastAPI(
        title="Coursier PPF sandbox",
        version=__version__,
        description=(
            "A stand-in for the PPF (company register, directory, flow intake), for the network between "
            "platforms (a store-and-forward inbox per platform, and a local Peppol SMP) and a development "
            "mailbox. Authenticate with "
            "`Authorization: Bearer <platform token>`. Errors are RFC 9457 problem documents with a stable `code`."
        ),
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.engine = engine
    app.state.outage = admin.Outage()
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(admin.OutageSwitch, outage=app.state.outage)
    return app
