"""Coursier's connector to the PPF: company register, directory (and the dev mailbox). Flows go
through the exchange system, `network.ppf_flows`.

It speaks the HTTP contract of the PPF sandbox (`coursier.sandbox`), which stands for the real
PPF; a PA is known to it by a bearer token. Answers come back as small frozen dataclasses.

Failures are typed so that jobs can decide what to do: only `PPFUnavailable` (connection
refused, timeout, 5xx, 429) is worth retrying; the others say the request itself was wrong or
refused, and sending it again would be answered the same.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import httpx

from coursier.network.http import BearerClient, Problem, is_retryable


class PPFError(Exception):
    def __init__(self, message: str, *, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class PPFUnavailable(PPFError):
    """The PPF could not answer: connection failure, timeout, 5xx or 429. Retryable."""


class PPFAuthError(PPFError):
    """401 or 403: the token is unknown, or the platform may not do this."""


class PPFNotFound(PPFError):
    """404: no such company, line, flow, or no platform receives for the address (`not_addressable`)."""


class PPFConflict(PPFError):
    """409: e.g. `line_exists` (then `line_id` names the caller's line), `line_held_by_other_platform`."""

    def __init__(self, message: str, *, status: int, code: str, line_id: str | None = None) -> None:
        super().__init__(message, status=status, code=code)
        self.line_id = line_id


class PPFRejected(PPFError):
    """Another 4xx: the request breaks a rule (`invalid_siret`, `unknown_company`...)."""

    def __init__(self, message: str, *, status: int, code: str, errors: tuple[dict, ...] = ()) -> None:
        super().__init__(message, status=status, code=code)
        self.errors = errors


@dataclass(frozen=True)
class Address:
    line1: str
    postal_code: str
    city: str
    country_code: str


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
class Company:
    siren: str
    legal_name: str
    status: str  # A active, C ceased
    establishments: tuple[Establishment, ...]

    @property
    def active(self) -> bool:
        return self.status == "A"


@dataclass(frozen=True)
class RegisteredEstablishment:
    siren: str
    legal_name: str
    establishment: Establishment


@dataclass(frozen=True)
class DirectoryLine:
    line_id: str
    instance_id: int
    siren: str
    siret: str | None
    routing_code: str | None
    suffix: str | None
    platform_id: str
    effective_from: date
    effective_to: date | None  # exclusive: the first day the line no longer applies
    status: str  # Upcoming, Enabled, Disabled
    created_at: datetime
    updated_at: datetime


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
    platform_id: str
    created_at: datetime


class PPF(Protocol):
    """What the services and jobs ask of the PPF; `PPFClient` answers over HTTP. Failures are the
    `PPFError` subclasses above."""

    def get_company(self, siren: str) -> Company: ...

    def get_establishment(self, siret: str) -> RegisteredEstablishment: ...

    def search_companies(self, name: str, *, limit: int = 20) -> list[Company]: ...

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
        include_closed: bool = False,
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

    def declare_routing_code(
        self, *, siret: str, routing_code: str, label: str, legal_commitment_management: bool = False
    ) -> RoutingCode: ...

    def send_mail(self, to: str, subject: str, text: str, html: str | None = None) -> str: ...


def _establishment(data: dict) -> Establishment:
    return Establishment(
        siret=data["siret"],
        name=data["name"],
        address=Address(**data["address"]),
        administrative_status=data["administrative_status"],
        head_office=data["head_office"],
    )


def _company(data: dict) -> Company:
    return Company(
        siren=data["siren"],
        legal_name=data["legal_name"],
        status=data["status"],
        establishments=tuple(map(_establishment, data["establishments"])),
    )


def _optional_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _line(data: dict) -> DirectoryLine:
    return DirectoryLine(
        line_id=data["line_id"],
        instance_id=data["instance_id"],
        siren=data["siren"],
        siret=data["siret"],
        routing_code=data["routing_code"],
        suffix=data["suffix"],
        platform_id=data["platform_id"],
        effective_from=date.fromisoformat(data["effective_from"]),
        effective_to=_optional_date(data["effective_to"]),
        status=data["status"],
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
    )


def _routing_code(data: dict) -> RoutingCode:
    return RoutingCode(**{**data, "created_at": datetime.fromisoformat(data["created_at"])})


def _present(**params: Any) -> dict[str, Any]:
    return {name: value for name, value in params.items() if value is not None}


class PPFClient(BearerClient):
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
        if status == 409:
            return PPFConflict(message, status=status, code=code, line_id=problem.body.get("line_id"))
        return PPFRejected(message, status=status, code=code, errors=tuple(problem.body.get("errors") or ()))

    def _call(self, method: str, path: str, **options: Any) -> Any:
        return self._request(method, path, **options).json()

    # ---- company register ----

    def get_company(self, siren: str) -> Company:
        return _company(self._call("GET", f"/register/companies/{siren}"))

    def get_establishment(self, siret: str) -> RegisteredEstablishment:
        data = self._call("GET", f"/register/establishments/{siret}")
        return RegisteredEstablishment(
            siren=data["siren"], legal_name=data["legal_name"], establishment=_establishment(data)
        )

    def search_companies(self, name: str, *, limit: int = 20, after: str | None = None) -> list[Company]:
        """By name then SIREN; `after` (the SIREN of the last company of a page) gives the next page."""
        params = _present(name=name, limit=limit, after=after)
        return [_company(item) for item in self._call("GET", "/register/companies", params=params)]

    # ---- directory ----

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
        body = _present(
            siren=siren,
            siret=siret,
            routing_code=routing_code,
            suffix=suffix,
            platform_id=platform_id,
            effective_from=effective_from.isoformat(),
            effective_to=effective_to and effective_to.isoformat(),
        )
        return _line(self._call("POST", "/directory/lines", json=body))

    def close_line(self, line_id: str, effective_to: date) -> DirectoryLine:
        return _line(
            self._call("PATCH", f"/directory/lines/{line_id}", json={"effective_to": effective_to.isoformat()})
        )

    def get_line(self, line_id: str) -> DirectoryLine:
        return _line(self._call("GET", f"/directory/lines/{line_id}"))

    def line_instances(self, line_id: str) -> list[DirectoryLine]:
        return [_line(item) for item in self._call("GET", f"/directory/lines/{line_id}/instances")]

    def search_lines(
        self,
        *,
        siren: str | None = None,
        siret: str | None = None,
        routing_code: str | None = None,
        suffix: str | None = None,
        platform_id: str | None = None,
        at: date | None = None,
        include_closed: bool = False,
    ) -> list[DirectoryLine]:
        params = _present(
            siren=siren,
            siret=siret,
            routing_code=routing_code,
            suffix=suffix,
            platform_id=platform_id,
            at=at and at.isoformat(),
            include_closed=str(include_closed).lower(),
        )
        return [_line(item) for item in self._call("GET", "/directory/lines", params=params)]

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
        """Raises PPFNotFound (code `not_addressable`) when no platform receives for the address."""
        params = _present(
            siren=siren,
            siret=siret,
            routing_code=routing_code,
            suffix=suffix,
            electronic_address=electronic_address,
            at=at and at.isoformat(),
        )
        data = self._call("GET", "/directory/lookup", params=params)
        establishment = data["establishment"]
        return Addressee(
            electronic_address=data["electronic_address"],
            line=_line(data["line"]),
            legal_name=data["legal_name"],
            establishment=establishment and _establishment(establishment),
        )

    def declare_routing_code(
        self, *, siret: str, routing_code: str, label: str, legal_commitment_management: bool = False
    ) -> RoutingCode:
        body = {
            "siret": siret,
            "routing_code": routing_code,
            "label": label,
            "legal_commitment_management": legal_commitment_management,
        }
        return _routing_code(self._call("POST", "/directory/routing-codes", json=body))

    def routing_codes(self, siret: str) -> list[RoutingCode]:
        return [_routing_code(item) for item in self._call("GET", "/directory/routing-codes", params={"siret": siret})]

    # ---- development mailbox ----

    def send_mail(self, to: str, subject: str, text: str, html: str | None = None) -> str:
        """Drops the mail in the sandbox's mailbox; returns its id."""
        body = _present(to=to, subject=subject, text=text, html=html)
        return self._call("POST", "/mailbox", json=body)["mail_id"]
