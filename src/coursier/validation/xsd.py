"""The XSD stage: the schema of the document's syntax and profile, with lxml.

An lxml schema keeps the error log of its last run, so one compiled schema must not serve two
threads at once; compiling takes milliseconds, so each thread compiles its own, once.
"""

import threading
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from coursier.validation.artefacts import Artefact, Stage
from coursier.validation.namespaces import readable_names
from coursier.validation.report import Issue, Severity

_local = threading.local()


def _schema(path: Path) -> etree.XMLSchema:
    schemas: dict[Path, etree.XMLSchema] | None = getattr(_local, "schemas", None)
    if schemas is None:
        schemas = _local.schemas = {}
    if path not in schemas:
        schemas[path] = etree.XMLSchema(file=str(path))
    return schemas[path]


def load_schemas(artefacts: Iterable[Artefact]) -> None:
    """Compile now, for this thread, the schemas of `artefacts` (a worker process starting)."""
    for artefact in artefacts:
        _schema(artefact.path)


def validate_xsd(tree: etree._ElementTree, artefact: Artefact) -> list[Issue]:
    schema = _schema(artefact.path)
    if schema.validate(tree):
        return []
    return [
        Issue(
            stage=Stage.XSD,
            artefact=artefact.key,
            # libxml2's name of the XSD constraint broken, e.g. SCHEMAV_ELEMENT_CONTENT
            rule=entry.type_name,
            severity=Severity.FATAL,
            message=readable_names(entry.message),
            location=f"{entry.path} (line {entry.line})",
        )
        for entry in schema.error_log
    ]
