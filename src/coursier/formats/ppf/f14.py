"""F14, the directory export the PPF sends the platforms (interface FFE1435A, DG §3.4.5 table 4):
every 24 hours a differential one, with every change of the day; on Sunday night a full one, with
every line in force (DG §3.5.4). Both sides use this module: the sandbox writes, Coursier reads.

The layout is annex 3's, which is not among the published texts at hand (`../shared/reference`):
until it is, a file holds one `LigneAnnuaire` per line instance, its members named as the
directory API names them (PPF-DIR 1.11.0) and annex 7 identifies them (DT-7-2 nature, D
definition or M masking; DT-7-3-1 start; DT-7-3-2 end; DT-7-5-1 addressing identifier and its
parts DT-7-5-1-1 to -4; DT-7-6 platform), dates as AAAAMMJJ (annex 7 G1.09, the directory's date
format). A differential export lists the instances defined in its period, in the order they were
defined; a full one, the current instance of every line not yet ended.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from lxml import etree

from coursier.kit.xml import XMLRejected, parse_xml

NAMESPACE = "urn:coursier:ppf:f14:annex3-pending"
DIFFERENTIAL = "DIFFERENTIEL"
FULL = "COMPLET"
DEFINITION = "D"  # DT-7-2
MASKING = "M"

_DAY = "%Y%m%d"
_INSTANT = "%Y%m%d%H%M%S"


class F14Error(ValueError):
    """A file that is not an F14 export this module can read."""


@dataclass(frozen=True)
class ExportedLine:
    instance_id: int  # idInstance
    nature: str  # DT-7-2: D or M
    address: str  # DT-7-5-1 identifiantAdressage
    siren: str
    siret: str | None
    routing_code: str | None
    suffix: str | None
    platform_id: str  # DT-7-6
    effective_from: date  # DT-7-3-1
    effective_to: date | None  # DT-7-3-2, the first day out of force
    defined_at: datetime  # dateDefinition (UTC)


@dataclass(frozen=True)
class Export:
    kind: str  # DIFFERENTIAL or FULL
    since: datetime | None  # a differential export: the changes after this instant...
    until: datetime  # ... up to this one; a full export: the lines in force at this instant
    lines: tuple[ExportedLine, ...]


# Lines a file holds at most, so that each stays within the XML budgets (`kit.xml`) of its reader.
LINES_PER_FILE = 10_000


def files(export: Export) -> list[tuple[str, bytes]]:
    """The files of an export's flow: `ANNUAIRE_<type>_<until>_<n>.xml`, LINES_PER_FILE lines each
    (one file, empty, when nothing changed)."""
    stamp = export.until.strftime(_INSTANT)
    chunks = [export.lines[i : i + LINES_PER_FILE] for i in range(0, len(export.lines), LINES_PER_FILE)] or [()]
    return [
        (f"ANNUAIRE_{export.kind}_{stamp}_{number}.xml", write(Export(export.kind, export.since, export.until, chunk)))
        for number, chunk in enumerate(chunks, 1)
    ]


def write(export: Export) -> bytes:
    root = etree.Element(f"{{{NAMESPACE}}}ExportAnnuaire", nsmap={None: NAMESPACE})
    root.set("type", export.kind)
    if export.since is not None:
        root.set("depuis", export.since.strftime(_INSTANT))
    root.set("jusqua", export.until.strftime(_INSTANT))
    for line in export.lines:
        element = etree.SubElement(root, f"{{{NAMESPACE}}}LigneAnnuaire")
        for name, value in _members(line):
            if value is not None:
                etree.SubElement(element, f"{{{NAMESPACE}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _members(line: ExportedLine) -> Iterable[tuple[str, str | None]]:
    return (
        ("idInstance", str(line.instance_id)),
        ("nature", line.nature),
        ("identifiantAdressage", line.address),
        ("siren", line.siren),
        ("siret", line.siret),
        ("identifiantRoutage", line.routing_code),
        ("suffixeAdressage", line.suffix),
        ("matriculePlateforme", line.platform_id),
        ("dateDebutEffet", line.effective_from.strftime(_DAY)),
        ("dateFinEffet", line.effective_to.strftime(_DAY) if line.effective_to else None),
        ("dateDefinition", line.defined_at.strftime(_INSTANT)),
    )


def parse(content: bytes) -> Export:
    try:
        root = parse_xml(content).getroot()
    except XMLRejected as exc:
        raise F14Error(f"unreadable XML: {exc}") from exc
    if root.tag != f"{{{NAMESPACE}}}ExportAnnuaire":
        raise F14Error(f"not a directory export: root {root.tag}")
    try:
        kind = root.get("type")
        if kind not in (DIFFERENTIAL, FULL):
            raise F14Error(f"unknown export type {kind!r}")
        since = root.get("depuis")
        return Export(
            kind=kind,
            since=_instant(since) if since else None,
            until=_instant(root.get("jusqua") or ""),
            lines=tuple(_line(element) for element in root.iterchildren(f"{{{NAMESPACE}}}LigneAnnuaire")),
        )
    except (ValueError, TypeError) as exc:
        raise F14Error(f"a value cannot be read: {exc}") from exc


def _line(element) -> ExportedLine:
    def text(name: str) -> str | None:
        found = element.find(f"{{{NAMESPACE}}}{name}")
        return found.text.strip() if found is not None and found.text else None

    nature = text("nature")
    if nature not in (DEFINITION, MASKING):
        raise F14Error(f"unknown nature {nature!r} (DT-7-2: D or M)")
    end = text("dateFinEffet")
    return ExportedLine(
        instance_id=int(text("idInstance") or ""),
        nature=nature,
        address=_required(text("identifiantAdressage"), "identifiantAdressage"),
        siren=_required(text("siren"), "siren"),
        siret=text("siret"),
        routing_code=text("identifiantRoutage"),
        suffix=text("suffixeAdressage"),
        platform_id=_required(text("matriculePlateforme"), "matriculePlateforme"),
        effective_from=datetime.strptime(text("dateDebutEffet") or "", _DAY).date(),
        effective_to=datetime.strptime(end, _DAY).date() if end else None,
        defined_at=_instant(text("dateDefinition") or ""),
    )


def _required(value: str | None, name: str) -> str:
    if not value:
        raise F14Error(f"a line has no {name}")
    return value


def _instant(value: str) -> datetime:
    return datetime.strptime(value, _INSTANT).replace(tzinfo=UTC)
