"""Directory lines (`/ligne-annuaire`): which PA receives the invoices of an addressing level, and
from when to when (DG §3.5.3).

A line holds a SIREN; or SIREN and SIRET; or SIREN, SIRET and routing code; or SIREN and suffix;
its receiving platform's matricule; and its period, `dateDebutEffet` to `dateFinEffet`, the day
it should no longer be in force (so periods are half-open). Lines are historised: every change
records a new instance (`idInstance`) and keeps the previous ones; a line that has not yet begun
is masked (nature M, "masquage", DG §3.5.3) rather than deleted.

The checks are annex 7's, each refusal naming its rule (G1.xx) and the reason of DG §3.5.8:
G1.36 years 2000 to 2099; G1.80 the SIRET is one of the SIREN; G1.85 only a line not yet in force
is masked; G1.86 no two definition lines of one addressing level overlap; G1.87 a line starts
tomorrow at the earliest unless it restates a line in force to change its end; G1.88 an end is
tomorrow at the earliest; G1.91 a routing code comes with its SIRET; G1.92 the routing code is
in force for that SIRET; G1.93 no suffix with a SIRET; G1.94 the platform's registration is in
force; G1.95, G1.115 the characters of routing codes and suffixes; G1.96, G1.97 the SIREN and SIRET
are in the directory and active; G1.112 the matricules 9997, 9998 and 9999 are not put on a line;
G1.113 an end comes after the start. "Tomorrow" is today plus the sandbox's notice
(`SandboxConfig.line_notice_days`, 1 as the rules say).

Who may do what (DG §3.5.5.5): a PA creates lines with its own matricule only; it may end a line
in force of another PA (taking a client over, figure 39) but only the holder lengthens, masks or
hands over its own lines. Our readings where the texts are silent: a line changes platform only
before it is in force (in force, it is ended and a new one created, figure 40); `identifiantAdressage`
is the parts of the level joined by `_` (its 125 characters are those of SIREN_SIRET_ROUTINGCODE);
so that it names one level only, a suffix may not begin with 14 digits (DG §3.5.5.5 note 84 also
advises against suffixes that read as a SIRET).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, and_, func, or_, select, update

from coursier.kit import clock
from coursier.kit.errors import InvalidInput, NotFound
from coursier.sandbox.annuaire import routing_codes, schemas, search
from coursier.sandbox.annuaire.errors import REJ_COH, REJ_VAL_INC, NotAllowed, Refused
from coursier.sandbox.storage import companies, directory_lines, line_sequence

lines = directory_lines

NOT_FOR_LINES = frozenset({"9997", "9998", "9999"})  # G1.112: Chorus Pro (emission, reception), the PPF
_SUFFIX = re.compile(r"^[A-Za-z0-9_.-]+$")  # G1.115
_READS_AS_SIRET = re.compile(r"^\d{14}(_|$)")


@dataclass(frozen=True)
class Caller:
    """The platform calling (its matricule) and its application at PISTE (`creePar`)."""

    matricule: str
    client_id: str


@dataclass(frozen=True)
class Rules:
    today: date
    notice_days: int
    registered: frozenset[str]  # matricules of the PAs whose registration is in force

    @property
    def earliest(self) -> date:
        """The first day a new line may start or a line end (G1.87, G1.88: J+1)."""
        return self.today + timedelta(days=self.notice_days)


def addressing_id(siren: str, siret: str | None, routing_id: str | None, suffix: str | None) -> str:
    return "_".join(part for part in (siren, siret, routing_id, suffix) if part)


def line(row) -> dict:
    """A line instance as `ligneAnnuairePayloadHisto`. No exogenous event shortens a line in the
    sandbox, so its actual end (`dateFinEffective`) is its planned end (DG §3.5.3, nominal case)."""
    return {
        "matriculePlateforme": row.platform_id,
        "identifiantRoutage": row.routing_code,
        "identifiantAdressage": row.address,
        "siren": row.siren,
        "siret": row.siret,
        "suffixeAdressage": row.suffix,
        "dateFinEffet": row.effective_to,
        "dateFinEffective": row.effective_to,
        "historisation": {
            "dateDefinition": row.defined_at,
            "dateDebutEffet": row.effective_from,
            "creePar": row.created_by,
            "masque": row.masked,
            "idInstance": row.instance_id,
        },
    }


def written(row) -> dict:
    return {"idInstance": row.instance_id, "identifiantAdressage": row.address, "dateDebutEffet": row.effective_from}


_current = lines.c.superseded_at.is_(None)
# A definition line that ever applies: not masked, and not ended on its first day.
_defining = and_(~lines.c.masked, or_(lines.c.effective_to.is_(None), lines.c.effective_to > lines.c.effective_from))


def _in_force(on: date):
    return and_(lines.c.effective_from <= on, or_(lines.c.effective_to.is_(None), lines.c.effective_to > on))


# ---- checks ----------------------------------------------------------------------------------------


def _check_platform(matricule: str, caller: Caller, rules: Rules) -> None:
    if matricule in NOT_FOR_LINES:
        raise Refused(f"Le matricule {matricule} ne peut figurer sur une ligne", reason=REJ_VAL_INC, rule="G1.112")
    if matricule not in rules.registered:
        raise Refused(f"Aucune plateforme immatriculée sous le matricule {matricule}", rule="G1.94")
    if matricule != caller.matricule:
        raise NotAllowed(f"Une plateforme s'attribue des lignes à son matricule ({caller.matricule}) seulement")


def _check_dates(start: date, end: date | None) -> None:
    for day in (start, end):
        if day is not None and not 2000 <= day.year <= 2099:
            raise Refused(f"Année hors de 2000 à 2099 : {day}", reason=REJ_VAL_INC, rule="G1.36")
    if end is not None and end <= start:
        raise Refused("La date de fin d'effet doit suivre la date de début d'effet", reason=REJ_COH, rule="G1.113")


def _check_end(end: date | None, rules: Rules) -> None:
    if end is not None and end < rules.earliest:
        raise Refused(f"La date de fin d'effet est au plus tôt le {rules.earliest}", rule="G1.88")


def _check_addressing(conn: Connection, info: schemas.AddressingInformation) -> None:
    if info.siret is not None and not info.siret.startswith(info.siren):
        raise Refused(f"Le SIRET {info.siret} n'est pas du SIREN {info.siren}", reason=REJ_COH, rule="G1.80")
    if info.identifiantRoutage is not None:
        if info.siret is None:
            raise Refused("Un identifiant de routage vient avec son SIRET", reason=REJ_COH, rule="G1.91")
        routing_codes.check_routing_id(info.identifiantRoutage)
    if info.suffixeAdressage is not None:
        if info.siret is not None:
            raise Refused("Un suffixe ne s'indique pas avec un SIRET", reason=REJ_COH, rule="G1.93")
        if not _SUFFIX.match(info.suffixeAdressage):
            raise Refused(
                f"Suffixe {info.suffixeAdressage!r} : chiffres, lettres sans accent, -, _ et . seulement",
                reason=REJ_VAL_INC,
                rule="G1.115",
            )
        if _READS_AS_SIRET.match(info.suffixeAdressage):
            raise Refused(
                "Un suffixe ne commence pas par 14 chiffres : il se lirait comme un SIRET", reason=REJ_VAL_INC
            )
    status = conn.execute(select(companies.c.status).where(companies.c.siren == info.siren)).scalar()
    if status != "A":
        raise Refused(f"SIREN {info.siren} absent de l'annuaire ou cessé", rule="G1.96")
    if info.siret is not None:
        routing_codes.check_active_site(conn, info.siret)
    if info.identifiantRoutage is not None and not routing_codes.active(conn, info.siret, info.identifiantRoutage):
        raise Refused(
            f"Le code routage {info.identifiantRoutage!r} n'est pas en vigueur pour le SIRET {info.siret}",
            reason=REJ_COH,
            rule="G1.92",
        )


def _check_no_overlap(conn: Connection, address: str, start: date, end: date | None, *, line_id: int | None) -> None:
    """G1.86. Which platform holds the other line is not the caller's business: not disclosed."""
    overlapping = [
        _current,
        _defining,
        lines.c.address == address,
        or_(lines.c.effective_to.is_(None), lines.c.effective_to > start),
    ]
    if end is not None:
        overlapping.append(lines.c.effective_from < end)
    if line_id is not None:
        overlapping.append(lines.c.line_id != line_id)
    if conn.execute(select(lines.c.instance_id).where(*overlapping).limit(1)).first() is not None:
        raise Refused(f"Une ligne de {address} est déjà en vigueur sur tout ou partie de cette période", rule="G1.86")


def _lock(conn: Connection, address: str) -> None:
    """Writers of one addressing level one at a time, so two creations cannot both see no overlap."""
    conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("directory-line:" + address))))


# ---- writes ------------------------------------------------------------------------------------------


def create(conn: Connection, caller: Caller, body: schemas.LineCreate, rules: Rules) -> dict:
    if body.periodeEffet is None or body.informationAdressage is None:
        raise InvalidInput("periodeEffet et informationAdressage sont requis", code="bad_request")
    info, period = body.informationAdressage, body.periodeEffet
    start, end = period.dateDebutEffet, period.dateFinEffet
    _check_platform(info.matriculePlateforme, caller, rules)
    _check_addressing(conn, info)
    _check_dates(start, end)
    address = addressing_id(info.siren, info.siret, info.identifiantRoutage, info.suffixeAdressage)
    _lock(conn, address)
    if start < rules.earliest:
        restated = conn.execute(
            select(lines).where(
                _current,
                _defining,
                _in_force(rules.today),
                lines.c.address == address,
                lines.c.effective_from == start,
                lines.c.platform_id == info.matriculePlateforme,
            )
        ).first()
        if restated is None:
            raise Refused(f"Une ligne prend effet au plus tôt le {rules.earliest}", rule="G1.87")
        # G1.87: the same line restated; it only sets or moves its end.
        return modify(conn, caller, restated.instance_id, rules, end=end)
    _check_end(end, rules)
    _check_no_overlap(conn, address, start, end, line_id=None)
    row = conn.execute(
        lines.insert()
        .values(
            line_id=conn.execute(line_sequence.next_value()).scalar_one(),
            address=address,
            siren=info.siren,
            siret=info.siret,
            routing_code=info.identifiantRoutage,
            suffix=info.suffixeAdressage,
            platform_id=info.matriculePlateforme,
            effective_from=start,
            effective_to=end,
            masked=False,
            created_by=caller.client_id,
            defined_at=clock.now(),
        )
        .returning(lines)
    ).one()
    return written(row)


# Marks "the body does not say" apart from "the body says null" (PATCH).
UNCHANGED = object()


def modify(
    conn: Connection, caller: Caller, instance_id: int, rules: Rules, *, end=UNCHANGED, platform: str | None = None
) -> dict:
    """Change the end and/or the platform of the line of an instance (PATCH, PUT)."""
    current = _current_instance(conn, instance_id)
    if current.masked:
        raise Refused("Une ligne masquée ne se modifie plus")
    if current.effective_to is not None and current.effective_to <= rules.today:
        raise Refused("La date de fin d'effet de cette ligne est échue : elle ne se modifie plus")
    holder = current.platform_id == caller.matricule
    new_platform = platform or current.platform_id
    if new_platform != current.platform_id:
        _check_platform(new_platform, caller, rules)
        if current.effective_from < rules.earliest:
            raise Refused(
                "Une ligne en vigueur change de plateforme en étant close, puis remplacée par une nouvelle ligne"
            )
    new_end = current.effective_to if end is UNCHANGED else end
    if new_end != current.effective_to:
        lengthened = new_end is None or (current.effective_to is not None and new_end > current.effective_to)
        if lengthened and not holder:
            raise NotAllowed("Seule la plateforme de la ligne en repousse la fin")
        _check_end(new_end, rules)
        _check_dates(current.effective_from, new_end)
        if lengthened:
            _check_no_overlap(conn, current.address, current.effective_from, new_end, line_id=current.line_id)
    if (new_end, new_platform) == (current.effective_to, current.platform_id):
        return written(current)  # already so: a request sent again changes nothing
    return written(_record(conn, current, caller, effective_to=new_end, platform_id=new_platform))


def mask(conn: Connection, caller: Caller, instance_id: int, rules: Rules) -> None:
    """Mask (nature M) the line of an instance, which must not have begun (G1.84, G1.85)."""
    current = _current_instance(conn, instance_id)
    if current.masked:
        return
    if current.platform_id != caller.matricule:
        raise NotAllowed("Seule la plateforme de la ligne la masque")
    if current.effective_from < rules.earliest:
        raise Refused(
            f"Seule une ligne qui prend effet le {rules.earliest} ou après se masque ; close-la plutôt", rule="G1.85"
        )
    _record(conn, current, caller, masked=True)


def _current_instance(conn: Connection, instance_id: int):
    """The current instance of the line `instance_id` is an instance of, locked."""
    line_id = select(lines.c.line_id).where(lines.c.instance_id == instance_id).scalar_subquery()
    row = conn.execute(select(lines).where(lines.c.line_id == line_id, _current).with_for_update()).first()
    if row is None:
        raise NotFound(f"Aucune ligne d'annuaire d'idInstance {instance_id}", code="http_404")
    _lock(conn, row.address)
    return row


def _record(conn: Connection, current, caller: Caller, **changes):
    """A new instance of `current`'s line with `changes`; `current` is superseded."""
    now = clock.now()
    conn.execute(update(lines).where(lines.c.instance_id == current.instance_id).values(superseded_at=now))
    values = {**current._asdict(), **changes, "created_by": caller.client_id, "defined_at": now}
    del values["instance_id"]
    return conn.execute(lines.insert().values(values).returning(lines)).one()


# ---- reads -----------------------------------------------------------------------------------------


def get(conn: Connection, instance_id: int) -> dict:
    row = conn.execute(select(lines).where(lines.c.instance_id == instance_id)).first()
    if row is None:
        raise NotFound(f"Aucune ligne d'annuaire d'idInstance {instance_id}", code="http_404")
    return line(row)


def at_address(conn: Connection, address: str, on: date) -> dict:
    """The line of an addressing level in force on `on`, its current instance."""
    row = conn.execute(select(lines).where(_current, _defining, lines.c.address == address, _in_force(on))).first()
    if row is None:
        raise NotFound(f"Aucune ligne d'annuaire en vigueur le {on} pour {address}", code="http_404")
    return line(row)


_SORTS = {
    "identifiantAdressage": lines.c.address,
    "siren": lines.c.siren,
    "siret": lines.c.siret,
    "identifiantRoutage": lines.c.routing_code,
    "suffixeAdressage": lines.c.suffix,
    "matriculePlateforme": lines.c.platform_id,
    "dateDebutEffet": lines.c.effective_from,
    "dateFinEffet": lines.c.effective_to,
    "dateFinEffective": lines.c.effective_to,
    "dateDefinition": lines.c.defined_at,
    "idInstance": lines.c.instance_id,
    "creePar": lines.c.created_by,
    "masque": lines.c.masked,
}


def find(conn: Connection, request: schemas.LineSearch, today: date) -> tuple[search.Page, list[dict]]:
    """Lines matching every filter. The period asked: in force on `dateObservation`; or meeting
    `dateDebutRecherche`..`dateFinRecherche` (both days in); else not ended today (DG §3.5.3: a line
    whose end has passed is no longer consultable). `modeAudit`: every instance, superseded and
    masked ones too; otherwise the current instance of each line, masked ones left out."""
    filters = request.filtres or schemas.LineSearchFilters()
    history = filters.historisation or schemas.HistoryFilters()
    query = select(lines)
    for criterion, column in (
        (filters.matriculePlateforme, lines.c.platform_id),
        (filters.siren, lines.c.siren),
        (filters.siret, lines.c.siret),
        (filters.suffixeAdressage, lines.c.suffix),
    ):
        if (value := search.value_of(criterion)) is not None:
            query = query.where(column == value)
    for criterion, column in (
        (filters.identifiantAdressage, lines.c.address),
        (filters.identifiantRoutage, lines.c.routing_code),
        (history.creePar, lines.c.created_by),
    ):
        if (value := search.value_of(criterion)) is not None:
            query = query.where(search.contains(column, value))
    if not search.value_of(history.modeAudit):
        query = query.where(_current, ~lines.c.masked)
    observed = search.value_of(history.dateObservation)
    first, last = search.value_of(history.dateDebutRecherche), search.value_of(history.dateFinRecherche)
    if observed is not None:
        query = query.where(_in_force(observed))
    elif first is not None or last is not None:
        if last is not None:
            query = query.where(lines.c.effective_from <= last)
        if first is not None:
            query = query.where(or_(lines.c.effective_to.is_(None), lines.c.effective_to > first))
    else:
        query = query.where(or_(lines.c.effective_to.is_(None), lines.c.effective_to > today))
    page = search.run(
        conn,
        query,
        tris=request.tris,
        sortable=_SORTS,
        default_order=(lines.c.address, lines.c.effective_from, lines.c.instance_id),
        limite=request.limite,
        ignorer=request.ignorer,
    )
    return page, [search.selected(line(row), request.champs) for row in page.rows]
