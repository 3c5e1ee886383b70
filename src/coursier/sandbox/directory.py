"""The directory (annuaire): which PA receives the invoices sent to an electronic address.

A line ties one addressing key to the matricule of the receiving PA for a period. A key sits on
one of four levels, and is written as the electronic address it answers for (scheme ICD 0225):
`SIREN`, `SIREN_SUFFIX`, `SIREN_SIRET`, `SIREN_SIRET_ROUTINGCODE`.

Rules (AIFE FAQ for PAs, as the digest reports them): lines are historised and never deleted;
every change records a new instance of the line and keeps the previous ones; a line is ended by
setting its end date; two lines on the same key may not overlap in time, so a key has one PA at
a time.

Our own readings, which the digest leaves open:
- periods are half-open: `effective_to` is the first day a line no longer applies, so one PA can
  hand a key over to another on a given date with neither gap nor overlap;
- a line may be shortened, never lengthened (lengthening could overlap a successor's line);
  shortening it to its start withdraws a line that never applied;
- a suffix is 1 to 35 letters or digits, and never 14 digits, so that `SIREN_SUFFIX` cannot be
  read as `SIREN_SIRET`; a routing code is 1 to 100 letters, digits or . _ - (as Coursier reads
  them in `services/directory`).
"""

import re
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from coursier.kit import clock
from coursier.kit.errors import Conflict, NotFound, Unprocessable
from coursier.sandbox import register
from coursier.sandbox.errors import Forbidden
from coursier.sandbox.schemas import Addressee, DirectoryLine, LineCreate, LineStatus, RoutingCode, RoutingCodeCreate
from coursier.sandbox.storage import directory_line_instances as lines
from coursier.sandbox.storage import routing_codes

ELECTRONIC_ADDRESS_SCHEME = "0225"
_SUFFIX = re.compile(r"^(?!\d{14}$)[A-Za-z0-9]{1,35}$")
_ROUTING_CODE = re.compile(r"^[A-Za-z0-9._-]{1,100}$")  # identifier type 0224


@dataclass(frozen=True)
class Addressing:
    """An addressing key, checked for form (not against the register)."""

    siren: str
    siret: str | None = None
    routing_code: str | None = None
    suffix: str | None = None

    @property
    def address(self) -> str:
        return "_".join(part for part in (self.siren, self.siret, self.routing_code, self.suffix) if part)

    def covering_addresses(self) -> list[str]:
        """The keys whose lines may route this address, the most precise first.

        "The most precise line wins" is our reading: the digest marks the precedence
        UNCONFIRMED. A routing-code line beats the SIRET line, which beats the SIREN line; a
        suffix line beats the SIREN line.
        """
        keys = [self.address]
        if self.routing_code:
            keys.append(f"{self.siren}_{self.siret}")
        if self.siret or self.suffix:
            keys.append(self.siren)
        return keys


def _checked_siren(value: str) -> str:
    try:
        return siren_number.validate(value)
    except ValidationError as exc:
        raise Unprocessable(f"SIREN {value!r} is invalid: {exc}", code="invalid_siren") from exc


def _checked_siret(value: str) -> str:
    try:
        return siret_number.validate(value)
    except ValidationError as exc:
        raise Unprocessable(f"SIRET {value!r} is invalid: {exc}", code="invalid_siret") from exc


def addressing(
    siren: str, siret: str | None = None, routing_code: str | None = None, suffix: str | None = None
) -> Addressing:
    """The key made of these parts, or a 422 naming the first rule they break."""
    siren = _checked_siren(siren)
    if siret is not None:
        siret = _checked_siret(siret)
        if not siret.startswith(siren):
            raise Unprocessable(f"SIRET {siret} is not an establishment of SIREN {siren}", code="siret_not_in_siren")
    if routing_code is not None:
        if siret is None:
            raise Unprocessable(
                "A routing code addresses an establishment: give its SIRET", code="routing_code_without_siret"
            )
        if not _ROUTING_CODE.match(routing_code):
            raise Unprocessable(f"Routing code {routing_code!r} is malformed", code="invalid_routing_code")
    if suffix is not None:
        if siret is not None:
            raise Unprocessable("A line is addressed by a SIRET or by a suffix, not both", code="suffix_with_siret")
        if not _SUFFIX.match(suffix):
            raise Unprocessable(
                f"Suffix {suffix!r} must be 1 to 35 letters or digits (and not 14 digits)", code="invalid_suffix"
            )
    return Addressing(siren, siret, routing_code, suffix)


def parse_electronic_address(value: str) -> Addressing:
    """`SIREN`, `SIREN_SIRET`, `SIREN_SIRET_ROUTINGCODE` or `SIREN_SUFFIX`, with or without `0225:`."""
    scheme, _, identifier = value.strip().rpartition(":")
    if scheme not in ("", ELECTRONIC_ADDRESS_SCHEME):
        raise Unprocessable(
            f"Electronic addresses of the directory use scheme {ELECTRONIC_ADDRESS_SCHEME}, not {scheme}",
            code="invalid_electronic_address",
        )
    parts = identifier.split("_", 2)
    if len(parts) == 1:
        return addressing(parts[0])
    if len(parts) == 2:
        second = parts[1]
        if len(second) == 14 and second.isdigit():
            return addressing(parts[0], siret=second)
        return addressing(parts[0], suffix=second)
    return addressing(parts[0], siret=parts[1], routing_code=parts[2])


def _check_registered(conn: Connection, target: Addressing) -> None:
    company = register.get_company(conn, target.siren)
    if company is None:
        raise Unprocessable(f"SIREN {target.siren} is not in the company register", code="unknown_company")
    if company.status != "A":
        raise Unprocessable(f"Company {target.siren} has ceased trading", code="company_ceased")
    if target.siret is None:
        return
    site = next((site for site in company.establishments if site.siret == target.siret), None)
    if site is None:
        raise Unprocessable(f"SIRET {target.siret} is not in the company register", code="unknown_company")
    if site.administrative_status != "A":
        raise Unprocessable(f"Establishment {target.siret} is closed", code="establishment_closed")
    declared = select(routing_codes.c.siret).where(
        routing_codes.c.siret == target.siret, routing_codes.c.routing_code == target.routing_code
    )
    if target.routing_code is not None and conn.execute(declared).first() is None:
        raise Unprocessable(
            f"Routing code {target.routing_code!r} is not declared for SIRET {target.siret}",
            code="unknown_routing_code",
        )


def _status(effective_from: date, effective_to: date | None, on: date) -> LineStatus:
    if effective_to is not None and effective_to <= max(on, effective_from):  # ended, or withdrawn
        return "Disabled"
    return "Upcoming" if effective_from > on else "Enabled"


def _line(row) -> DirectoryLine:
    return DirectoryLine(
        line_id=row.line_id,
        instance_id=row.instance_id,
        siren=row.siren,
        siret=row.siret,
        routing_code=row.routing_code,
        suffix=row.suffix,
        platform_id=row.platform_id,
        effective_from=row.effective_from,
        effective_to=row.effective_to,
        status=_status(row.effective_from, row.effective_to, clock.today()),
        created_at=row.line_created_at,
        updated_at=row.recorded_at,
    )


_current = lines.c.superseded_at.is_(None)
# A line withdrawn before it began (ended on its first day) never applies and overlaps nothing.
_not_withdrawn = or_(lines.c.effective_to.is_(None), lines.c.effective_to > lines.c.effective_from)


def _in_force(on: date):
    return and_(lines.c.effective_from <= on, or_(lines.c.effective_to.is_(None), lines.c.effective_to > on))


def create_line(conn: Connection, caller: str, request: LineCreate) -> DirectoryLine:
    if request.platform_id != caller:
        raise Forbidden(f"You may only create lines for your own platform ({caller})", code="platform_mismatch")
    target = addressing(request.siren, request.siret, request.routing_code, request.suffix)
    if request.effective_to is not None and request.effective_to <= request.effective_from:
        raise Unprocessable("effective_to must be after effective_from", code="invalid_period")
    _check_registered(conn, target)
    # Serialise writers of one key, so that two concurrent creations cannot both see no overlap.
    conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(target.address))))
    overlaps = [
        _current,
        lines.c.address == target.address,
        or_(lines.c.effective_to.is_(None), lines.c.effective_to > request.effective_from),
        _not_withdrawn,
    ]
    if request.effective_to is not None:
        overlaps.append(lines.c.effective_from < request.effective_to)
    clash = conn.execute(
        select(lines.c.line_id, lines.c.platform_id).where(*overlaps).order_by(lines.c.effective_from).limit(1)
    ).first()
    if clash is not None and clash.platform_id == caller:
        raise Conflict(
            f"Your line {clash.line_id} already covers {target.address} over this period",
            code="line_exists",
            extra={"line_id": clash.line_id},
        )
    if clash is not None:
        # Which platform holds it is not the caller's business: it is not disclosed.
        raise Conflict(
            f"Another platform's line covers {target.address} over this period", code="line_held_by_other_platform"
        )
    now = clock.now()
    row = conn.execute(
        insert(lines)
        .values(
            line_id="line_" + secrets.token_hex(8),
            siren=target.siren,
            siret=target.siret,
            routing_code=target.routing_code,
            suffix=target.suffix,
            address=target.address,
            platform_id=caller,
            effective_from=request.effective_from,
            effective_to=request.effective_to,
            line_created_at=now,
            recorded_at=now,
        )
        .returning(lines)
    ).one()
    return _line(row)


def close_line(conn: Connection, caller: str, line_id: str, effective_to: date) -> DirectoryLine:
    current = conn.execute(select(lines).where(lines.c.line_id == line_id, _current).with_for_update()).first()
    if current is None:
        raise NotFound(f"No directory line {line_id}", code="line_not_found")
    if current.platform_id != caller:
        raise Forbidden("Only the platform that holds a line may end it", code="not_line_owner")
    if effective_to < current.effective_from:
        raise Unprocessable("effective_to cannot be before the line's effective_from", code="invalid_period")
    if current.effective_to is not None and effective_to > current.effective_to:
        raise Unprocessable(
            f"The line already ends on {current.effective_to}; a line cannot be lengthened",
            code="line_cannot_be_extended",
        )
    if effective_to == current.effective_to:
        return _line(current)  # already so: a retried close changes nothing
    now = clock.now()
    conn.execute(update(lines).where(lines.c.instance_id == current.instance_id).values(superseded_at=now))
    successor = {**current._asdict(), "effective_to": effective_to, "recorded_at": now}
    del successor["instance_id"]
    row = conn.execute(insert(lines).values(successor).returning(lines)).one()
    return _line(row)


def get_line(conn: Connection, line_id: str) -> DirectoryLine:
    row = conn.execute(select(lines).where(lines.c.line_id == line_id, _current)).first()
    if row is None:
        raise NotFound(f"No directory line {line_id}", code="line_not_found")
    return _line(row)


def line_instances(conn: Connection, line_id: str) -> list[DirectoryLine]:
    """Every instance of a line, oldest first."""
    rows = conn.execute(select(lines).where(lines.c.line_id == line_id).order_by(lines.c.instance_id)).all()
    if not rows:
        raise NotFound(f"No directory line {line_id}", code="line_not_found")
    return [_line(row) for row in rows]


def search_lines(
    conn: Connection,
    *,
    siren: str | None = None,
    siret: str | None = None,
    routing_code: str | None = None,
    suffix: str | None = None,
    platform_id: str | None = None,
    at: date | None = None,
    include_closed: bool = False,
    limit: int = 100,
) -> list[DirectoryLine]:
    """Current instances matching every filter given. `at`: in force that day (closed or not
    today); otherwise lines that ended are left out unless `include_closed`."""
    query = select(lines).where(_current)
    for column, wanted in (
        (lines.c.siren, siren),
        (lines.c.siret, siret),
        (lines.c.routing_code, routing_code),
        (lines.c.suffix, suffix),
        (lines.c.platform_id, platform_id),
    ):
        if wanted is not None:
            query = query.where(column == wanted)
    if at is not None:
        query = query.where(_in_force(at))
    elif not include_closed:
        query = query.where(_not_withdrawn, or_(lines.c.effective_to.is_(None), lines.c.effective_to > clock.today()))
    query = query.order_by(lines.c.address, lines.c.effective_from).limit(limit)
    return [_line(row) for row in conn.execute(query)]


def lookup(conn: Connection, target: Addressing, at: date) -> Addressee:
    """The most precise line in force on `at` that routes the address."""
    keys = target.covering_addresses()
    rows = conn.execute(select(lines).where(_current, lines.c.address.in_(keys), _in_force(at))).all()
    company = register.get_company(conn, target.siren)
    if not rows or company is None:
        raise NotFound(f"No platform receives invoices for {target.address} on {at}", code="not_addressable")
    best = min(rows, key=lambda row: keys.index(row.address))
    site = next((site for site in company.establishments if site.siret == target.siret), None)
    return Addressee(
        electronic_address=f"{ELECTRONIC_ADDRESS_SCHEME}:{target.address}",
        line=_line(best),
        legal_name=company.legal_name,
        establishment=site,
    )


def _routing_code(row) -> RoutingCode:
    return RoutingCode(
        siret=row.siret,
        routing_code=row.routing_code,
        label=row.label,
        legal_commitment_management=row.legal_commitment_management,
        platform_id=row.platform_id,
        created_at=row.created_at,
    )


def declare_routing_code(conn: Connection, caller: str, request: RoutingCodeCreate) -> RoutingCode:
    siret = _checked_siret(request.siret)
    target = addressing(siret[:9], siret=siret, routing_code=request.routing_code)
    if register.get_establishment(conn, target.siret) is None:
        raise Unprocessable(f"SIRET {target.siret} is not in the company register", code="unknown_company")
    row = conn.execute(
        pg_insert(routing_codes)
        .values(
            siret=target.siret,
            routing_code=target.routing_code,
            label=request.label,
            legal_commitment_management=request.legal_commitment_management,
            platform_id=caller,
            created_at=clock.now(),
        )
        .on_conflict_do_nothing()
        .returning(routing_codes)
    ).first()
    if row is None:
        raise Conflict(
            f"Routing code {target.routing_code!r} is already declared for SIRET {target.siret}",
            code="routing_code_exists",
        )
    return _routing_code(row)


def list_routing_codes(conn: Connection, siret: str) -> list[RoutingCode]:
    query = select(routing_codes).where(routing_codes.c.siret == siret).order_by(routing_codes.c.routing_code)
    return [_routing_code(row) for row in conn.execute(query)]
