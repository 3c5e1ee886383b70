"""The national directory as Coursier sees it: addressing lines, lookups through the PPF connector
(found lines cached briefly in PostgreSQL), whether a recipient is served by this platform, the
lines of a SIREN and of the calling client, and the companies of the register.

The PPF's F14 exports (DG §3.5.4), collected from its SFTP server, are applied to a copy of the
directory's lines (`apply_export`): when the directory API cannot be reached, a lookup answers
from that copy, as current as the last export (the PPF shows a change from the next day anyway,
DG §3.5.5.5).

A question the PPF refuses (a malformed address) is the caller's 400; a PPF that cannot be
reached, or refuses this platform's credentials, is a 503 unless the copy has the answer."""

import dataclasses
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from coursier.db.directory import DirectoryCacheRepository, DirectoryCopyRepository, DirectoryLineCopy
from coursier.db.mandates import Mandate, MandateRepository
from coursier.formats.ppf import f14
from coursier.kit import clock
from coursier.kit.errors import InvalidInput, NotFound, Unavailable
from coursier.kit.tenancy import TenantContext
from coursier.model.identifiers import valid_siren, valid_siret
from coursier.network.ppf import (
    DirectoryLine,
    LegalUnit,
    PPFAuthError,
    PPFNotFound,
    PPFRejected,
    PPFUnavailable,
    addressing_of,
    most_precise,
    parse_electronic_address,
)

log = logging.getLogger(__name__)

# Annex 7: a routing code is digits, letters without accents, - and _ (G1.95), up to 100 (PPF-DIR
# identifiantRoutage); a suffix the same and . (G1.115), up to 100 (PPF-DIR suffixeAdressage), and,
# our reading, never beginning with 14 digits, so that its address cannot read as a SIRET's.
_ROUTING_CODE = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_SUFFIX = re.compile(r"^(?!\d{14}(_|$))[A-Za-z0-9_.-]{1,100}$")


@dataclass(frozen=True)
class DirectoryScope:
    """One addressing line of the directory: SIREN, SIREN+suffix, SIREN+SIRET or SIREN+SIRET+routing code."""

    siren: str
    suffix: str | None = None
    siret: str | None = None
    routing_code: str | None = None

    @classmethod
    def parse(
        cls, *, siren: str, suffix: str | None = None, siret: str | None = None, routing_code: str | None = None
    ) -> "DirectoryScope":
        compact_siren = valid_siren((siren or "").replace(" ", ""))
        if compact_siren is None:
            raise InvalidInput(f"{siren!r} is not a valid SIREN (9 digits with a Luhn key)", code="invalid_siren")
        compact_siret = None
        if siret:
            compact_siret = valid_siret(siret.replace(" ", ""))
            if compact_siret is None:
                raise InvalidInput(f"{siret!r} is not a valid SIRET (14 digits with a Luhn key)", code="invalid_siret")
            if compact_siret[:9] != compact_siren:
                raise InvalidInput(
                    f"SIRET {compact_siret} does not belong to SIREN {compact_siren}", code="siret_not_in_siren"
                )
        if routing_code is not None:
            if not compact_siret:
                raise InvalidInput("A routing code line needs the SIRET it belongs to", code="invalid_scope")
            if not _ROUTING_CODE.match(routing_code):
                raise InvalidInput("A routing code is 1 to 100 letters, digits, - or _", code="invalid_routing_code")
        if suffix is not None:
            if compact_siret:
                raise InvalidInput("A line has either a suffix or a SIRET, not both", code="invalid_scope")
            if not _SUFFIX.match(suffix):
                raise InvalidInput(
                    "A SIREN suffix is 1 to 100 letters, digits, -, _ or . and does not begin with 14 digits",
                    code="invalid_suffix",
                )
        return cls(siren=compact_siren, suffix=suffix, siret=compact_siret, routing_code=routing_code)

    @classmethod
    def from_address(cls, address: str) -> "DirectoryScope":
        """The line of an electronic address (the reverse of `electronic_address`): SIREN,
        SIREN_SIRET, SIREN_SIRET_CODE or SIREN_SUFFIX. Raises InvalidInput for anything else."""
        try:
            target = parse_electronic_address(address)
        except PPFRejected as exc:
            raise InvalidInput(exc.message, code="invalid_address") from exc
        return cls.parse(siren=target.siren, siret=target.siret, routing_code=target.routing_code, suffix=target.suffix)

    @property
    def key(self) -> str:
        return "|".join((self.siren, self.suffix or "", self.siret or "", self.routing_code or ""))

    @property
    def kind(self) -> str:
        """The addressing identifier type of the directory API (XP Z12-013 naming)."""
        if self.routing_code:
            return "SIREN_SIRET_CODEROUTAGE"
        if self.siret:
            return "SIREN_SIRET"
        return "SIREN_SUFFIXE" if self.suffix else "SIREN"

    @property
    def electronic_address(self) -> str:
        """The scheme-0225 address of the line: SIREN, SIREN_SIRET, SIREN_SIRET_CODE or SIREN_SUFFIX."""
        parts = [self.siren, self.suffix or self.siret, self.routing_code]
        return "_".join(p for p in parts if p)


def entry_fields(
    line: DirectoryLine, legal_name: str | None, establishment=None, *, routing_code_label: str | None = None
) -> dict:
    """The directory entry of the Seqino API, from a PPF line and the register's data."""
    return {
        "siren": line.siren,
        "name": legal_name,
        "suffix": line.suffix,
        "siret": line.siret,
        "routing_identifier": line.routing_code or line.siret or line.siren,
        "routing_identifier_type": "0224" if line.routing_code else "Internal",
        "routing_code_label": routing_code_label,
        # Public buyers are served through Chorus Pro; the register holds private companies.
        "establishment_nature": "Private",
        "legal_commitment_management": False,
        "administrative_status": (
            {"A": "active", "F": "closed"}.get(establishment.administrative_status) if establishment else None
        ),
        "addressable": line.in_force(clock.today()),
        "address": _plain(establishment.address) if establishment else None,
        "platform_id": line.platform_id,
        "line_id": line.line_id,
        "effective_from": _iso(line.effective_from),
        "effective_to": _iso(line.effective_to),
        # The instance's definition: what the directory shows of when the line was written.
        "created_at": _iso(line.defined_at),
        "updated_at": _iso(line.defined_at),
    }


def _plain(value) -> dict | None:
    return dataclasses.asdict(value) if value is not None else None


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# ---- the cache -------------------------------------------------------------------------------


def cached(session: Session, key: str, siren: str | None, ttl: timedelta, compute):
    """The value cached under `key`, or `compute()`, stored for `ttl` when it found something.

    "Not found" is never kept: a line another platform registers is seen at once, so a send never
    fails DEST_INC on an answer older than the line.
    """
    now = clock.now()
    cache = DirectoryCacheRepository(session)
    hit = cache.fresh(key, now)
    if hit is not None:
        return hit.value
    value = compute()
    if value is not None:
        cache.put(key, siren, value, now + ttl)
    return value


def invalidate(session: Session, siren: str) -> None:
    """Our own change to a SIREN's lines: later lookups must see it at once."""
    DirectoryCacheRepository(session).drop_siren(siren)


def served_client(session: Session, line: dict, our_platform_id: str) -> Mandate | None:
    """The active mandate on this platform behind a directory line, if the line is ours."""
    if line.get("platform_id") != our_platform_id:
        return None
    return MandateRepository(session).active_holder(scope_of_entry(line).key)


def scope_of_entry(line: dict) -> DirectoryScope:
    """The addressing line a directory entry (`entry_fields`) stands for."""
    routing_code = line["routing_identifier"] if line.get("routing_identifier_type") == "0224" else None
    return DirectoryScope(
        siren=line["siren"], suffix=line.get("suffix"), siret=line.get("siret"), routing_code=routing_code
    )


def line_end(mandate_end: date | None) -> date | None:
    """A directory line's end is exclusive (its first day out of force); a mandate's is its last day."""
    return mandate_end + timedelta(days=1) if mandate_end is not None else None


# ---- lookups ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LookupQuery:
    siren: str | None = None
    siret: str | None = None
    routing_code: str | None = None
    suffix: str | None = None
    electronic_address: str | None = None

    def cache_key(self) -> str:
        return "lookup:" + "|".join(v or "" for v in dataclasses.astuple(self))

    def siren_concerned(self) -> str | None:
        source = self.siren or self.siret or (self.electronic_address or "").split(":")[-1]
        return source[:9] if source and source[:9].isdigit() else None


def lookup(session: Session, ppf, query: LookupQuery, *, ttl: timedelta) -> dict | None:
    """The directory entry an invoice for `query` goes to, from the PPF (briefly cached), or from
    the lines of its exports when it cannot be reached; raises the PPF's `PPFRejected` for an
    address it cannot read."""
    try:
        return cached(session, query.cache_key(), query.siren_concerned(), ttl, lambda: _ask_ppf(ppf, query))
    except (PPFUnavailable, PPFAuthError) as exc:
        return _answer_from_exports(session, query, exc)


def _answer_from_exports(session: Session, query: LookupQuery, exc: Exception) -> dict | None:
    """The answer of the exports when the directory API cannot be reached (never cached); a 503
    when they have none."""
    entry = _from_exports(session, query)
    if entry is None:
        raise _unreachable("The national directory", exc) from exc
    log.info("the directory API cannot be reached (%s): answered from the exports", exc)
    return entry


def _from_exports(session: Session, query: LookupQuery) -> dict | None:
    """The entry of the line in force today that routes the address, as the F14 exports told it:
    without the register's data (name, establishment), which the exports do not carry."""
    target = addressing_of(query.siren, query.siret, query.routing_code, query.suffix, query.electronic_address)
    today = clock.today()
    copies = DirectoryCopyRepository(session).lines_in_force(target.siren, today)
    line = most_precise(target, [_copied_line(copy) for copy in copies], today)
    return None if line is None else entry_fields(line, None)


def _copied_line(copy: DirectoryLineCopy) -> DirectoryLine:
    return DirectoryLine(
        instance_id=copy.instance_id,
        address=copy.address,
        siren=copy.siren,
        siret=copy.siret,
        routing_code=copy.routing_code,
        suffix=copy.suffix,
        platform_id=copy.platform_id,
        effective_from=copy.effective_from,
        effective_to=copy.effective_to,
        masked=copy.masked,
        defined_at=copy.defined_at,
    )


def recipients_lookup(
    session: Session, ppf, queries: list[LookupQuery], *, ttl: timedelta
) -> dict[LookupQuery, dict | None]:
    """`lookup` of several queries, the fresh cached ones read in one statement. An address the
    PPF cannot read is no entry (None): a send takes it for an unknown recipient."""
    now = clock.now()
    cache = DirectoryCacheRepository(session)
    unique = list(dict.fromkeys(queries))
    hits = cache.fresh_values([query.cache_key() for query in unique], now)
    found: dict[LookupQuery, dict | None] = {}
    for query in unique:
        key = query.cache_key()
        if key in hits:
            found[query] = hits[key]
            continue
        try:
            found[query] = _ask_ppf(ppf, query)
        except PPFRejected:
            found[query] = None
        except (PPFUnavailable, PPFAuthError) as exc:
            found[query] = _answer_from_exports(session, query, exc)
            continue
        if found[query] is not None:
            cache.put(key, query.siren_concerned(), found[query], now + ttl)
    return found


def _ask_ppf(ppf, query: LookupQuery) -> dict | None:
    try:
        addressee = ppf.lookup(
            siren=query.siren,
            siret=query.siret,
            routing_code=query.routing_code,
            suffix=query.suffix,
            electronic_address=query.electronic_address,
        )
    except PPFNotFound:
        return None
    return entry_fields(addressee.line, addressee.legal_name, addressee.establishment)


def caller_lookup(session: Session, ppf, query: LookupQuery, *, ttl: timedelta) -> dict | None:
    """`lookup` asked by a caller of the API: a question the PPF refuses is the caller's 400 (a
    send, which asks with the buyer's address, takes it for an unknown recipient instead)."""
    with _asking("The national directory"):
        return lookup(session, ppf, query, ttl=ttl)


def entry_of_siren(session: Session, ppf, siren: str, *, ttl: timedelta) -> dict:
    """The directory entry of a SIREN: the line an invoice to the SIREN alone goes to or, when the
    company is addressed only by finer lines (SIRET, suffix, routing code), the first of those."""
    scope = DirectoryScope.parse(siren=siren)
    entry = caller_lookup(session, ppf, LookupQuery(siren=scope.siren), ttl=ttl)
    return entry if entry is not None else lines_of_siren(ppf, scope.siren)[0]


def lines_of_siren(ppf, siren: str) -> list[dict]:
    """Every directory line in force for a SIREN, as directory entries (the directory is public)."""
    scope = DirectoryScope.parse(siren=siren)
    with _asking("The national directory"):
        lines = ppf.search_lines(siren=scope.siren)
        if not lines:
            raise NotFound(f"No directory line for SIREN {scope.siren}", code="directory_entry_not_found")
        company = ppf.get_company(scope.siren)
    establishments = {e.siret: e for e in company.establishments}
    return [entry_fields(line, company.legal_name, establishments.get(line.siret)) for line in lines]


def search_companies(ppf, name: str, *, limit: int, skip: int = 0) -> list[LegalUnit]:
    """Companies of the register whose name matches, by name then SIREN, after the first `skip`."""
    with _asking("The company register"):
        return ppf.search_companies(name, limit=limit, skip=skip)


def own_lines(session: Session, ctx: TenantContext) -> list[dict]:
    """The directory entries of the calling client's mandates, oldest first."""
    return [mandate.directory_entry for mandate in MandateRepository(session).with_directory_entry(ctx)]


@contextmanager
def _asking(what: str) -> Iterator[None]:
    """The PPF's errors as the caller's: its refusal of the question a 400, its absence a 503."""
    try:
        yield
    except PPFRejected as exc:
        raise InvalidInput(f"{what} refused the question: {exc.message}", code="directory_query_refused") from exc
    except (PPFUnavailable, PPFAuthError) as exc:
        raise _unreachable(what, exc) from exc


def _unreachable(what: str, exc: Exception) -> Unavailable:
    return Unavailable(f"{what} cannot be reached: {exc}", code="ppf_unavailable")


def recipient(session: Session, entry: dict, ctx: TenantContext, our_platform_id: str) -> dict:
    """Where an invoice for this entry goes: this platform (and which of the caller's clients) or another PA.

    Another sponsor's client is never named: only that the recipient is on this platform.
    """
    mandate = served_client(session, entry, our_platform_id)
    on_platform = entry.get("platform_id") == our_platform_id
    return {
        "platform": "this" if on_platform else "other",
        "platform_id": entry.get("platform_id"),
        "client_id": mandate.client_id if mandate is not None and mandate.sponsor_id == ctx.sponsor_id else None,
    }


def withdraw_line(ppf, line_id: str, wanted_end: date | None, earliest: date) -> DirectoryLine | None:
    """Take the line `line_id` out of force from `wanted_end`, `earliest` at the earliest (annex 7
    G1.88): ended then, or masked if it has not begun by then (G1.85, DG §3.5.5.5 note 85).
    Returns its instance now: None when masked, or ended or masked already."""
    end = max(wanted_end or earliest, earliest)
    line = current_instance(ppf, ppf.get_line(line_id))
    if line is None or (line.effective_to is not None and line.effective_to <= end):
        return line  # out of force by then already: nothing to ask
    if line.effective_from >= earliest:
        ppf.mask_line(line.line_id)
        return None
    return ppf.close_line(line.line_id, end)


def current_instance(ppf, line: DirectoryLine) -> DirectoryLine | None:
    """The current instance of `line` (changes, ours or another platform's, make new ones), or
    None when the line has ended or was masked."""
    for found in ppf.search_lines(
        siren=line.siren, siret=line.siret, routing_code=line.routing_code, suffix=line.suffix
    ):
        if (found.address, found.effective_from) == (line.address, line.effective_from):
            return found
    return None


# ---- the F14 exports ------------------------------------------------------------------------------


def apply_export(session: Session, message) -> None:
    """Keep the lines of an F14 export (a `ppf_exchange.CollectedMessage` of kind F14) in the copy
    of the directory, and forget the cached answers about their SIRENs. An export that cannot be
    read is logged and left (kept among the collected files, `ppf_exchange`)."""
    try:
        exports = [f14.parse(content) for _, content in message.files]
    except f14.F14Error as exc:
        log.warning("F14 export %s cannot be read: %s", message.name, exc)
        return
    copies = DirectoryCopyRepository(session)
    lines = [line for export in exports for line in export.lines]
    copies.keep(
        {
            "address": line.address,
            "effective_from": line.effective_from,
            "instance_id": line.instance_id,
            "siren": line.siren,
            "siret": line.siret,
            "routing_code": line.routing_code,
            "suffix": line.suffix,
            "platform_id": line.platform_id,
            "effective_to": line.effective_to,
            "masked": line.nature == f14.MASKING,
            "defined_at": line.defined_at,
        }
        for line in lines
    )
    for export in exports:
        if export.kind == f14.FULL:
            copies.drop_missing({(line.address, line.effective_from) for line in lines}, export.until)
    if lines:
        DirectoryCacheRepository(session).drop_sirens({line.siren for line in lines})
    log.info("F14 export %s: %d line instances kept", message.name, len(lines))
