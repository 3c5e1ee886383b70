"""Coursier's connector to the PPF's directory: its public API as the DGFiP published it (PPF-DIR
1.11.0: legal units `/siren`, establishments `/siret`, routing codes `/code-routage`, lines
`/ligne-annuaire`), reached with a PISTE access token (OAuth 2.0 client credentials,
`network.http.ClientCredentials`). Flows go through the exchange system, `network.ppf_flows`.

Every path it calls is in `DIRECTORY_OPERATIONS`, which tests/sandbox/test_published_api.py checks
against the published file and the sandbox. Answers come back as small frozen dataclasses.

Failures are typed so that jobs can decide what to do: only `PPFUnavailable` (connection
refused, timeout, 5xx, 429) is worth retrying; the others say the request itself was wrong or
refused, and sending it again would be answered the same.

Which line routes an address is ours to work out (the API has no such question): the lines of the
SIREN in force that day, the most precise one covering the address (`covering_addresses`).

Lines are written through the API, not as F13 flows: DG §3.5.5.5 lets a receiving PA use either
(the EDI channel's flow FFE1235A, DG §3.4.5 table 4, or this API), and the API answers at once
with the new instance's `idInstance`, which later changes and masking need, and with the rule a
refusal breaks; an F13 is answered later by a 400/401 lifecycle (FFE0634A, DG §3.5.7) and is laid
out by annex 3, which is not among the texts we work from.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import httpx

from coursier.kit import clock
from coursier.network.http import BearerClient, Problem, is_retryable

# The published operations this connector calls: name -> (method, path as published).
DIRECTORY_OPERATIONS = {
    "get_unit": ("GET", "/siren/code-insee:{siren}"),
    "search_units": ("POST", "/siren/recherche"),
    "get_site": ("GET", "/siret/code-insee:{siret}"),
    "search_sites": ("POST", "/siret/recherche"),
    "create_routing_code": ("POST", "/code-routage"),
    "get_routing_code": ("GET", "/code-routage/siret:{siret}/code:{identifiant-routage}"),
    "create_line": ("POST", "/ligne-annuaire"),
    "get_line": ("GET", "/ligne-annuaire/id-instance:{id-instance}"),
    "modify_line": ("PATCH", "/ligne-annuaire/id-instance:{id-instance}"),
    "mask_line": ("DELETE", "/ligne-annuaire/id-instance:{id-instance}"),
    "search_lines": ("POST", "/ligne-annuaire/recherche"),
}

ELECTRONIC_ADDRESS_SCHEME = "0225"
ROUTING_CODE_TYPE = "0224"  # annex 7 G1.83
PAGE_SIZE = 200  # results asked per page of a search (`limite`)


class PPFError(Exception):
    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class PPFUnavailable(PPFError):
    """The PPF could not answer: connection failure, timeout, 5xx or 429. Retryable."""


class PPFAuthError(PPFError):
    """401 or 403, or PISTE refused our client credentials: the platform may not do this."""


class PPFNotFound(PPFError):
    """404: no such company, line, routing code; or no line routes the address (`not_addressable`)."""


class PPFRejected(PPFError):
    """Another 4xx: the request breaks a rule. `code`: the reason of DG §3.5.8 (REJ_RG, REJ_COH,
    REJ_VAL_INC...) or ours; `rule`: the annex 7 rule the PPF names (G1.86...), when it does."""

    def __init__(self, message: str, *, status: int, code: str, rule: str | None = None) -> None:
        super().__init__(message, status=status, code=code)
        self.rule = rule


@dataclass(frozen=True)
class Address:
    line1: str | None
    postal_code: str | None
    city: str | None
    country_code: str | None


@dataclass(frozen=True)
class Establishment:
    siret: str
    name: str
    address: Address
    administrative_status: str  # A active, F closed
    head_office: bool

    @property
    def active(self) -> bool:
        return self.administrative_status == "A"


@dataclass(frozen=True)
class LegalUnit:
    siren: str
    legal_name: str
    status: str  # A active, C ceased

    @property
    def active(self) -> bool:
        return self.status == "A"


@dataclass(frozen=True)
class Company(LegalUnit):
    establishments: tuple[Establishment, ...]


@dataclass(frozen=True)
class DirectoryLine:
    """One instance of a line (DG §3.5.3); `effective_to` is the first day it no longer applies."""

    instance_id: int  # idInstance
    address: str  # identifiantAdressage
    siren: str
    siret: str | None
    routing_code: str | None
    suffix: str | None
    platform_id: str
    effective_from: date
    effective_to: date | None
    masked: bool
    defined_at: datetime | None  # dateDefinition

    @property
    def line_id(self) -> str:
        """How Coursier names the line at the PPF: the idInstance it knows it by."""
        return str(self.instance_id)

    def in_force(self, on: date) -> bool:
        return not self.masked and self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


@dataclass(frozen=True)
class Addressee:
    """Who receives invoices sent to an electronic address: the line that routes it, its company."""

    electronic_address: str
    line: DirectoryLine
    legal_name: str
    establishment: Establishment | None

    @property
    def platform_id(self) -> str:
        return self.line.platform_id


@dataclass(frozen=True)
class RoutingCode:
    siret: str
    routing_code: str
    label: str
    legal_commitment_management: bool
    administrative_status: str  # A active, F closed
    instance_id: int


class PPF(Protocol):
    """What the services and jobs ask of the PPF; `PPFClient` answers over HTTP. Failures are the
    `PPFError` subclasses above."""

    def get_company(self, siren: str) -> Company: ...

    def get_establishment(self, siret: str) -> Establishment: ...

    def search_companies(self, name: str, *, limit: int = 20, skip: int = 0) -> list[LegalUnit]: ...

    def create_line(
        self,
        *,
        siren: str,
        platform_id: str,
        effective_from: date,
        siret: str | None = None,
        routing_code: str | None = None,
        suffix: str | None = None,
        effective_to: date | None = None,
    ) -> DirectoryLine: ...

    def close_line(self, line_id: str, effective_to: date) -> DirectoryLine: ...

    def mask_line(self, line_id: str) -> None: ...

    def get_line(self, line_id: str) -> DirectoryLine: ...

    def search_lines(
        self,
        *,
        siren: str | None = None,
        siret: str | None = None,
        routing_code: str | None = None,
        suffix: str | None = None,
        platform_id: str | None = None,
        at: date | None = None,
    ) -> list[DirectoryLine]: ...

    def lookup(
        self,
        *,
        siren: str | None = None,
        siret: str | None = None,
        routing_code: str | None = None,
        suffix: str | None = None,
        electronic_address: str | None = None,
        at: date | None = None,
    ) -> Addressee: ...

    def get_routing_code(self, siret: str, routing_code: str) -> RoutingCode: ...

    def declare_routing_code(
        self, *, siret: str, routing_code: str, label: str, legal_commitment_management: bool = False
    ) -> RoutingCode: ...


# ---- addresses -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Addressing:
    """An addressing level: SIREN; SIREN, SIRET; SIREN, SIRET, routing code; or SIREN, suffix."""

    siren: str
    siret: str | None = None
    routing_code: str | None = None
    suffix: str | None = None

    @property
    def address(self) -> str:
        """Its identifiantAdressage: the parts joined by `_` (125 characters at most, as
        SIREN_SIRET_ROUTINGCODE takes), also the electronic address without its scheme 0225."""
        return "_".join(part for part in (self.siren, self.siret, self.routing_code, self.suffix) if part)

    def covering_addresses(self) -> list[str]:
        """The levels whose lines may route this address, the most precise first.

        "The most precise line wins" is our reading (the digest marks it UNCONFIRMED; DG §3.5.4
        routes on the addressing data written in the invoice): a routing-code line beats the
        SIRET line, which beats the SIREN line; a suffix line beats the SIREN line.
        """
        keys = [self.address]
        if self.routing_code:
            keys.append(f"{self.siren}_{self.siret}")
        if self.siret or self.suffix:
            keys.append(self.siren)
        return keys


_SIREN = re.compile(r"^\d{9}$")
_SIRET = re.compile(r"^\d{14}$")


def parse_electronic_address(value: str) -> Addressing:
    """`SIREN`, `SIREN_SIRET`, `SIREN_SIRET_ROUTINGCODE` or `SIREN_SUFFIX`, with or without `0225:`;
    `PPFRejected` (code `invalid_electronic_address`) for anything else."""
    scheme, _, identifier = value.strip().rpartition(":")
    siren, _, rest = identifier.partition("_")
    if scheme not in ("", ELECTRONIC_ADDRESS_SCHEME) or not _SIREN.match(siren):
        raise _bad_address(f"{value!r} is not an electronic address of the directory (scheme 0225, SIREN first)")
    if not rest:
        return Addressing(siren)
    second, _, third = rest.partition("_")
    if _SIRET.match(second):
        return Addressing(siren, siret=second, routing_code=third or None)
    return Addressing(siren, suffix=rest)


def _bad_address(message: str) -> PPFRejected:
    return PPFRejected(message, status=400, code="invalid_electronic_address")


def most_precise(target: Addressing, lines: list[DirectoryLine], on: date) -> DirectoryLine | None:
    """The line in force on `on` that routes `target`, or None."""
    keys = target.covering_addresses()
    candidates = [line for line in lines if line.address in keys and line.in_force(on)]
    return min(candidates, key=lambda line: keys.index(line.address), default=None)


# ---- reading the API's answers -----------------------------------------------------------------------


def _optional_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _address(data: dict | None) -> Address:
    data = data or {}
    return Address(
        line1=data.get("ligneAdresse1"),
        postal_code=data.get("codePostal"),
        city=data.get("localite"),
        country_code=data.get("codePays"),
    )


def _establishment(data: dict) -> Establishment:
    return Establishment(
        siret=data["siret"],
        name=data.get("denomination") or "",
        address=_address(data.get("adresse")),
        administrative_status=data.get("etatAdministratif") or "A",
        head_office=data.get("typeEtablissement") == "P",
    )


def _line(data: dict) -> DirectoryLine:
    history = data.get("historisation") or {}
    defined_at = history.get("dateDefinition")
    return DirectoryLine(
        instance_id=history["idInstance"],
        address=data["identifiantAdressage"],
        siren=data["siren"],
        siret=data.get("siret"),
        routing_code=data.get("identifiantRoutage"),
        suffix=data.get("suffixeAdressage"),
        platform_id=data["matriculePlateforme"],
        effective_from=date.fromisoformat(history["dateDebutEffet"]),
        # The actual end, when an exogenous event came before the planned one (DG §3.5.3).
        effective_to=_optional_date(data.get("dateFinEffective") or data.get("dateFinEffet")),
        masked=bool(history.get("masque")),
        defined_at=datetime.fromisoformat(defined_at) if defined_at else None,
    )


def _routing_code(data: dict) -> RoutingCode:
    return RoutingCode(
        siret=data["siret"],
        routing_code=data["identifiantRoutage"],
        label=data.get("libelleCodeRoutage") or "",
        legal_commitment_management=bool(data.get("gestionEngagementJuridique")),
        administrative_status=data.get("etatAdministratif") or "A",
        instance_id=(data.get("historisation") or {}).get("idInstance"),
    )


def _strict(value: Any) -> dict:
    return {"op": "strict", "valeur": value}


def _present(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


class PPFClient(BearerClient):
    """`base_url`: the directory API's (its published server URL, or the sandbox's); `auth`: a
    `ClientCredentials` for PISTE (or a bearer token, for tests)."""

    def _unreachable(self, exc: httpx.TransportError) -> PPFError:
        return PPFUnavailable(f"PPF unreachable: {type(exc).__name__}: {exc}", code="unreachable")

    def _refused(self, problem: Problem) -> PPFError:
        status, code, message = problem.status, problem.code, problem.message
        if is_retryable(problem):
            return PPFUnavailable(message, status=status, code=code)
        if status in (401, 403):
            return PPFAuthError(message, status=status, code=code)
        if status == 404:
            return PPFNotFound(message, status=status, code=code)
        return PPFRejected(message, status=status, code=code, rule=problem.body.get("regle"))

    def _call(self, operation: str, json: Any = None, **parameters: Any) -> httpx.Response:
        method, path = DIRECTORY_OPERATIONS[operation]
        return self._request(method, path.format(**parameters), json=json)

    def _search(self, operation: str, filters: dict, *, tris: list | None = None) -> Iterator[dict]:
        """Every result of a search, page after page (200 the last page, 206 one of several, 204 none)."""
        skip = 0
        while True:
            body = _present(filtres=filters, tris=tris, limite=PAGE_SIZE, ignorer=skip)
            response = self._call(operation, json=body)
            if response.status_code == 204:
                return
            page = response.json()
            results = page.get("resultats") or []
            yield from results
            skip += len(results)
            if response.status_code != 206 or not results or skip >= page.get("nombre_total_resultats", skip):
                return

    # ---- legal units and establishments ----

    def get_company(self, siren: str) -> Company:
        unit = self._call("get_unit", siren=siren).json()
        sites = self._search("search_sites", {"siren": _strict(siren)})
        return Company(
            siren=unit["siren"],
            legal_name=unit.get("raisonSociale") or "",
            status=unit.get("etatAdministratif") or "A",
            establishments=tuple(_establishment(site) for site in sites),
        )

    def get_establishment(self, siret: str) -> Establishment:
        return _establishment(self._call("get_site", siret=siret).json())

    def search_companies(self, name: str, *, limit: int = 20, skip: int = 0) -> list[LegalUnit]:
        """By name then SIREN; `skip` the companies of the pages before."""
        body = {
            "filtres": {"raisonSociale": {"op": "contient", "valeur": name}},
            "tris": [{"champ": "raisonSociale", "ordre": "ascendant"}, {"champ": "siren", "ordre": "ascendant"}],
            "limite": limit,
            "ignorer": skip,
        }
        response = self._call("search_units", json=body)
        if response.status_code == 204:
            return []
        return [
            LegalUnit(unit["siren"], unit.get("raisonSociale") or "", unit.get("etatAdministratif") or "A")
            for unit in response.json().get("resultats") or []
        ]

    # ---- routing codes ----

    def get_routing_code(self, siret: str, routing_code: str) -> RoutingCode:
        return _routing_code(
            self._call("get_routing_code", siret=siret, **{"identifiant-routage": routing_code}).json()
        )

    def declare_routing_code(
        self, *, siret: str, routing_code: str, label: str, legal_commitment_management: bool = False
    ) -> RoutingCode:
        body = {
            "natureEtablissement": "Privé",
            "identifiantRoutage": routing_code,
            "siret": siret,
            "typeIdentifiantRoutage": ROUTING_CODE_TYPE,
            "libelleCodeRoutage": label,
            "gestionEngagementJuridique": legal_commitment_management,
            "etatAdministratif": "A",
        }
        created = self._call("create_routing_code", json=body).json()
        return RoutingCode(siret, routing_code, label, legal_commitment_management, "A", created["idInstance"])

    # ---- directory lines ----

    def create_line(
        self,
        *,
        siren: str,
        platform_id: str,
        effective_from: date,
        siret: str | None = None,
        routing_code: str | None = None,
        suffix: str | None = None,
        effective_to: date | None = None,
    ) -> DirectoryLine:
        body = {
            "periodeEffet": _present(
                dateDebutEffet=effective_from.isoformat(), dateFinEffet=effective_to and effective_to.isoformat()
            ),
            "informationAdressage": _present(
                siren=siren,
                siret=siret,
                identifiantRoutage=routing_code,
                suffixeAdressage=suffix,
                matriculePlateforme=platform_id,
            ),
        }
        written = self._call("create_line", json=body).json()
        return self.get_line(str(written["idInstance"]))

    def close_line(self, line_id: str, effective_to: date) -> DirectoryLine:
        """Set the line's end (a new instance); returns that instance."""
        written = self._call("modify_line", json={"dateFinEffet": effective_to.isoformat()}, **_instance(line_id))
        return self.get_line(str(written.json()["idInstance"]))

    def mask_line(self, line_id: str) -> None:
        """Mask a line that has not begun (nature M, DG §3.5.3)."""
        self._call("mask_line", **_instance(line_id))

    def get_line(self, line_id: str) -> DirectoryLine:
        return _line(self._call("get_line", **_instance(line_id)).json())

    def search_lines(
        self,
        *,
        siren: str | None = None,
        siret: str | None = None,
        routing_code: str | None = None,
        suffix: str | None = None,
        platform_id: str | None = None,
        at: date | None = None,
    ) -> list[DirectoryLine]:
        """Current lines matching every part given: in force on `at`, or not ended yet without it."""
        filters = {
            name: _strict(value)
            for name, value in (
                ("siren", siren),
                ("siret", siret),
                ("suffixeAdressage", suffix),
                ("matriculePlateforme", platform_id),
            )
            if value is not None
        }
        if routing_code is not None:
            filters["identifiantRoutage"] = {"op": "contient", "valeur": routing_code}
        if at is not None:
            filters["historisation"] = {"dateObservation": _strict(at.isoformat())}
        found = [_line(result) for result in self._search("search_lines", filters)]
        # The API's routing-code filter is "contains": the exact code is kept here.
        return [line for line in found if routing_code is None or line.routing_code == routing_code]

    def lookup(
        self,
        *,
        siren: str | None = None,
        siret: str | None = None,
        routing_code: str | None = None,
        suffix: str | None = None,
        electronic_address: str | None = None,
        at: date | None = None,
    ) -> Addressee:
        """The line routing the address on `at` (today), and whom it belongs to. Raises PPFRejected
        for a malformed address, PPFNotFound (code `not_addressable`) when no line routes it."""
        target = addressing_of(siren, siret, routing_code, suffix, electronic_address)
        on = at or clock.today()
        line = most_precise(target, self.search_lines(siren=target.siren, at=on), on)
        if line is None:
            raise PPFNotFound(f"No platform receives invoices for {target.address} on {on}", code="not_addressable")
        unit = self._call("get_unit", siren=target.siren).json()
        establishment = self.get_establishment(target.siret) if target.siret else None
        return Addressee(
            electronic_address=f"{ELECTRONIC_ADDRESS_SCHEME}:{target.address}",
            line=line,
            legal_name=unit.get("raisonSociale") or "",
            establishment=establishment,
        )


def _instance(line_id: str) -> dict:
    return {"id-instance": int(line_id)}


def addressing_of(
    siren: str | None,
    siret: str | None,
    routing_code: str | None,
    suffix: str | None,
    electronic_address: str | None,
) -> Addressing:
    """The addressing level asked, from an electronic address or from its parts (not both)."""
    if electronic_address is not None:
        if any((siren, siret, routing_code, suffix)):
            raise PPFRejected("Give an electronic address or its parts, not both", status=400, code="ambiguous_address")
        return parse_electronic_address(electronic_address)
    if siren is None or not _SIREN.match(siren):
        raise _bad_address("A SIREN of 9 digits is needed")
    if siret is not None and not (_SIRET.match(siret) and siret.startswith(siren)):
        raise _bad_address(f"{siret!r} is not a SIRET of SIREN {siren}")
    if routing_code is not None and siret is None:
        raise _bad_address("A routing code addresses an establishment: give its SIRET")
    if suffix is not None and siret is not None:
        raise _bad_address("A level has a SIRET or a suffix, not both")
    return Addressing(siren, siret, routing_code, suffix)
