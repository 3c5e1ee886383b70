"""F14, the directory exports (DG §3.5.4, interface FFE1435A): "un flux différentiel est émis par le
PPF toutes les 24h" with every change of the period, and "un flux complet ... dans la nuit du
dimanche au lundi" with every line in force. Each export goes to every partner's space on the SFTP
server (`sftp`), as a flow of the PPF (`flows.ppf_envelope`), in the layout of `formats.ppf.f14`.

`run_daily` makes them at midnight in France while the sandbox runs; `export` makes one at once
(`POST /sandbox/directory-exports`, for tests and demos).
"""

import asyncio
import logging
from datetime import datetime, time, timedelta

from sqlalchemy import Connection, Engine, func, or_, select

from coursier.formats.ppf import envelope as envelopes
from coursier.formats.ppf import f14
from coursier.kit import clock
from coursier.sandbox import sftp
from coursier.sandbox.config import SandboxConfig
from coursier.sandbox.flows import ppf_envelope
from coursier.sandbox.storage import directory_exports, directory_lines

log = logging.getLogger(__name__)

lines = directory_lines


def export(conn: Connection, config: SandboxConfig, kind: str) -> list[str]:
    """Make an export of `kind` (f14.DIFFERENTIAL or f14.FULL) and leave it in every partner's space;
    returns the names of the flows left."""
    conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("directory-export"))))
    until = clock.now()
    since = None
    if kind == f14.DIFFERENTIAL:
        since = conn.execute(
            select(func.max(directory_exports.c.until)).where(directory_exports.c.kind == f14.DIFFERENTIAL)
        ).scalar()
        query = select(lines).where(lines.c.defined_at <= until)
        if since is not None:
            query = query.where(lines.c.defined_at > since)
        query = query.order_by(lines.c.defined_at, lines.c.instance_id)
    else:
        query = (
            select(lines)
            .where(
                lines.c.superseded_at.is_(None),
                ~lines.c.masked,
                or_(lines.c.effective_to.is_(None), lines.c.effective_to > clock.paris_date(until)),
            )
            .order_by(lines.c.address, lines.c.effective_from)
        )
    exported = tuple(_exported(row) for row in conn.execute(query))
    conn.execute(directory_exports.insert().values(kind=kind, since=since, until=until, line_count=len(exported)))
    files = f14.files(f14.Export(kind=kind, since=since, until=until, lines=exported))
    names = []
    # Written before the commit: an export cut short is made again, and the lines it repeats are
    # instances a platform already holds (`idInstance`), so taking them twice changes nothing.
    for code in config.applications:
        name, content = ppf_envelope(conn, code, envelopes.F14, files)
        sftp.put_collectable(sftp.space(config.sftp_root, code), name, content)
        names.append(name)
    log.info("directory export %s: %d lines, flows %s", kind, len(exported), names)
    return names


def _exported(row) -> f14.ExportedLine:
    return f14.ExportedLine(
        instance_id=row.instance_id,
        nature=f14.MASKING if row.masked else f14.DEFINITION,
        address=row.address,
        siren=row.siren,
        siret=row.siret,
        routing_code=row.routing_code,
        suffix=row.suffix,
        platform_id=row.platform_id,
        effective_from=row.effective_from,
        effective_to=row.effective_to,
        defined_at=row.defined_at,
    )


def next_midnight(now: datetime) -> datetime:
    """The next midnight in France after `now`."""
    tomorrow = now.astimezone(clock.PARIS).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(), tzinfo=clock.PARIS)


async def run_daily(engine: Engine, config: SandboxConfig) -> None:
    """Until cancelled: at each midnight a differential export, and a full one when Monday begins."""
    while True:
        midnight = next_midnight(clock.now())
        await asyncio.sleep(max(0.0, (midnight - clock.now()).total_seconds()))
        kinds = [f14.DIFFERENTIAL] + ([f14.FULL] if midnight.weekday() == 0 else [])
        for kind in kinds:
            try:
                await asyncio.to_thread(_export_committed, engine, config, kind)
            except Exception:  # the next night tries again; the sandbox keeps serving
                log.exception("directory export %s failed", kind)


def _export_committed(engine: Engine, config: SandboxConfig, kind: str) -> list[str]:
    with engine.begin() as conn:
        return export(conn, config, kind)
