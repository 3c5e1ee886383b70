"""Readable names in reports: the usual prefixes instead of namespace URIs."""

import re

# The prefixes the official artefacts themselves declare.
PREFIXES = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "ubl",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "cn",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2": "ext",
    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100": "rsm",
    "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100": "rsm",  # CDAR (BR-FR-CDV)
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100": "ram",
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100": "udt",
    "urn:un:unece:uncefact:data:standard:QualifiedDataType:100": "qdt",
}

# A step of the locations schematron writes: *:Invoice[namespace-uri()='urn:...:Invoice-2']
_QUALIFIED_STEP = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\]")
# A name as libxml2 writes it in XSD messages: {urn:...:Invoice-2}Invoice
_CLARK_NAME = re.compile(r"\{([^}]*)\}([\w.-]+)")


def readable_location(location: str | None) -> str | None:
    """/*:Invoice[namespace-uri()='urn:...:Invoice-2'][1] becomes /ubl:Invoice[1]."""
    if not location:
        return None
    return _QUALIFIED_STEP.sub(lambda step: _prefixed(step.group(2), step.group(1), step.group(0)), location)


def readable_names(text: str) -> str:
    """{urn:...:Invoice-2}Invoice becomes ubl:Invoice."""
    return _CLARK_NAME.sub(lambda name: _prefixed(name.group(1), name.group(2), name.group(0)), text)


def _prefixed(namespace: str, name: str, original: str) -> str:
    prefix = PREFIXES.get(namespace)
    return f"{prefix}:{name}" if prefix else original
