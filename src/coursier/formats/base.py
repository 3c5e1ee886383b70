"""What every syntax binding shares: results with warnings, an XML reader that notices what it
did not read, and an XML builder that remembers which model path each element came from.

Nothing is dropped silently: a reader reports every element it did not map, and a writer reports
every term the target syntax or profile cannot carry, each with its BT id when one applies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple, TypeVar

from lxml import etree
from pydantic import BaseModel

from coursier.model import Invoice, term_for_path
from coursier.model.values import decimal_text

from ._schema import SchemaLayout, is_blank, remove_matches

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

# Warning codes, stable for API clients.
UNMAPPED_ELEMENT = "unmapped-element"  # the reader met an element outside the EN 16931 binding
INVALID_VALUE = "invalid-value"  # a date, number... the reader could not understand
REPEATED_VALUE = "repeated-value"  # the syntax held several values where the model holds one
NOT_IN_PROFILE = "not-in-profile"  # the target profile's schema cannot carry this term
NOT_IN_SYNTAX = "not-in-syntax"  # the target syntax has no place for this term
REPLACED_VALUE = "replaced-value"  # the writer had to write another value than the model's
BLANK_VALUE = "blank-value"  # a text of white space only: not written (an empty element carries nothing)


class FormatError(ValueError):
    """The document is not of the syntax the reader was asked to read."""


@dataclass(frozen=True)
class FormatWarning:
    code: str
    term: str | None  # BT-n / BG-n when the warning is about a business term
    path: str  # model path for writer warnings, XML path for reader warnings
    message: str


@dataclass
class ParseResult:
    invoice: Invoice
    warnings: list[FormatWarning] = field(default_factory=list)


@dataclass
class WriteResult:
    xml: bytes
    warnings: list[FormatWarning] = field(default_factory=list)


TEXT, NUMBER, AMOUNT = "text", "number", "amount"


class Leaf(NamedTuple):
    """One row of a binding table: the XML path of a model field, relative to its group's element.

    `kind` is TEXT, NUMBER (a decimal) or AMOUNT (a decimal that UBL tags with its currency).
    """

    path: str
    field: str
    kind: str = TEXT


class XmlReader:
    """Finds elements by prefixed path and records which ones were read.

    `unread_warnings` then names the outermost elements nobody looked at: an element the
    binding does not know, or one a newer syntax version added.
    """

    def __init__(self, root: etree._Element, namespaces: dict[str, str]) -> None:
        self.root = root
        self.namespaces = namespaces
        self.warnings: list[FormatWarning] = []
        self._read: set[etree._Element] = {root}
        self._tree = root.getroottree()

    def _mark(self, found: etree._Element, parent: etree._Element) -> None:
        node: etree._Element | None = found
        while node is not None and node is not parent and node not in self._read:
            self._read.add(node)
            node = node.getparent()

    def findall(self, parent: etree._Element | None, path: str) -> list[etree._Element]:
        if parent is None:
            return []
        found = parent.findall(path, self.namespaces)
        for element in found:
            self._mark(element, parent)
        return found

    def skip(self, element: etree._Element) -> None:
        """Count `element` and all it holds as read (after a warning about it as a whole)."""
        self._read.update(node for node in element.iter() if isinstance(node.tag, str))

    def find(self, parent: etree._Element | None, path: str, term: str | None = None) -> etree._Element | None:
        """The first match. Further ones are reported: as a repeated `term` when one is given,
        else as unread elements by `unread_warnings`."""
        if parent is None:
            return None
        found = parent.findall(path, self.namespaces)
        if not found:
            return None
        self._mark(found[0], parent)
        if term is not None:
            for extra in found[1:]:
                self.warn(REPEATED_VALUE, term, extra, f"{term} holds one value; only the first {path} is kept")
                self.skip(extra)
        return found[0]

    def text(self, parent: etree._Element | None, path: str | None = None, term: str | None = None) -> str | None:
        """Stripped text of the element at `path` (or of `parent` itself); None when absent or empty."""
        element = parent if path is None else self.find(parent, path, term)
        if element is None or element.text is None:
            return None
        return element.text.strip() or None

    def value(
        self,
        parent: etree._Element | None,
        path: str | None,
        term: str,
        convert: Callable[[str], T],
    ) -> T | None:
        """The converted text, or None with an `invalid-value` warning if `convert` refuses it."""
        element = parent if path is None else self.find(parent, path, term)
        raw = self.text(element)
        if raw is None:
            return None
        try:
            return convert(raw)
        except (ValueError, InvalidOperation):
            self.warn(INVALID_VALUE, term, element, f"{raw!r} is not a valid value for {term}; it was left out")
            return None

    def decimal(self, parent: etree._Element | None, path: str | None, term: str) -> Decimal | None:
        return self.value(parent, path, term, _finite_decimal)

    def group(self, element: etree._Element | None, model: type[M], table: tuple[Leaf, ...], origin: str) -> M | None:
        """A group model from the leaves of `table` below `element`; None when it holds nothing."""
        if element is None:
            return None
        values: dict[str, object] = {}
        for row in table:
            term = term_for_path(f"{origin}.{row.field}")
            values[row.field] = (
                self.decimal(element, row.path, term or row.field)
                if row.kind in (NUMBER, AMOUNT)
                else self.text(element, row.path, term)
            )
        return present(model(**values))

    def path_of(self, element: etree._Element) -> str:
        return self._tree.getpath(element)

    def warn(self, code: str, term: str | None, element: etree._Element, message: str) -> None:
        self.warnings.append(FormatWarning(code, term, self.path_of(element), message))

    def unread_warnings(self) -> list[FormatWarning]:
        warnings = []
        read = self._read
        stack = [self.root]
        while stack:
            parent = stack.pop()
            children = [child for child in parent if isinstance(child.tag, str)]
            if all(child in read for child in children):
                stack.extend(children)  # the common case: no sibling positions to count
                continue
            # getpath() counts the siblings on every call; built once per parent the paths stay
            # linear in the element count.
            parent_path = self.path_of(parent)
            for child, step in _child_steps(children):
                if child in read:
                    stack.append(child)
                    continue
                name = etree.QName(child).localname
                warnings.append(
                    FormatWarning(
                        UNMAPPED_ELEMENT, None, f"{parent_path}/{step}", f"{name} is not mapped to EN 16931; ignored"
                    )
                )
        return sorted(warnings, key=lambda warning: warning.path)


def _child_steps(children: list[etree._Element]) -> Iterator[tuple[etree._Element, str]]:
    """Each of the element `children` of one parent with its last XPath step, as libxml2's
    getpath() writes it: `prefix:name`, or `*` for an element in a default namespace (which XPath
    cannot name), with a position among the siblings it cannot be told from when there are several."""
    names = [_step_name(child) for child in children]
    totals = Counter(names)
    seen: Counter[str] = Counter()
    for position, (child, name) in enumerate(zip(children, names, strict=True), start=1):
        seen[name] += 1
        if name == "*":
            yield child, "*" if len(children) == 1 else f"*[{position}]"
        else:
            yield child, name if totals[name] == 1 else f"{name}[{seen[name]}]"


def _step_name(element: etree._Element) -> str:
    qname = etree.QName(element)
    if qname.namespace is None:
        return qname.localname
    return "*" if element.prefix is None else f"{element.prefix}:{qname.localname}"


def _finite_decimal(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError(text)
    return value


class XmlBuilder:
    """Creates elements from prefixed names and remembers the model path each one carries."""

    def __init__(self, namespaces: dict[str, str], amount_attributes: dict[str, str | None] | None = None) -> None:
        self.namespaces = namespaces
        # Attributes every amount carries in this syntax (UBL: currencyID; CII: none).
        self.amount_attributes = amount_attributes or {}
        self.origins: dict[etree._Element, str] = {}
        self.warnings: list[FormatWarning] = []

    def warn(self, code: str, origin: str, message: str) -> None:
        """Report a model value the writer could not write as it is."""
        self.warnings.append(FormatWarning(code, term_for_path(origin), origin, message))

    def _tag(self, name: str) -> str:
        prefix, _, local = name.partition(":")
        return f"{{{self.namespaces[prefix]}}}{local}"

    def root(self, name: str, nsmap: dict[str, str] | None = None) -> etree._Element:
        return etree.Element(self._tag(name), nsmap=nsmap or self.namespaces)

    def child(
        self, parent: etree._Element, name: str, origin: str | None = None, /, **attributes: str | None
    ) -> etree._Element:
        """A new (container) element, always created."""
        element = etree.SubElement(parent, self._tag(name))
        for attribute, value in attributes.items():
            if value is not None:
                element.set(attribute, value)
        if origin is not None:
            self.origins[element] = origin
        return element

    def leaf(
        self,
        parent: etree._Element,
        path: str,
        value: str | Decimal | date | None,
        origin: str | None = None,
        /,
        **attributes: str | None,
    ) -> etree._Element | None:
        """A text element at `path` below `parent`, created only when `value` is not None.

        Intermediate containers of a path (`a/b/c`) are reused when already there, so the leaves of
        one 0..1 container can be written one by one.
        """
        if value is None:
            return None
        if isinstance(value, str) and is_blank(value):
            if origin is not None:
                self.warn(BLANK_VALUE, origin, "a value of white space only; left out")
            return None
        *containers, name = path.split("/")
        for container in containers:
            existing = parent.findall(self._tag(container))
            parent = existing[-1] if existing else self.child(parent, container)
        element = self.child(parent, name, origin, **attributes)
        element.text = value_text(value)
        return element

    def quantity(
        self,
        parent: etree._Element,
        path: str,
        value: Decimal | None,
        unit_code: str | None,
        origin: str,
        unit_origin: str,
    ) -> None:
        """A quantity with its unit code, which both syntaxes hold as an attribute of the quantity."""
        if value is None and unit_code is not None:
            self.warn(NOT_IN_SYNTAX, unit_origin, "a unit code is written on its quantity, and there is none; left out")
        self.leaf(parent, path, value, origin, unitCode=unit_code)

    def leaves(self, parent: etree._Element, group: BaseModel | None, table: tuple[Leaf, ...], origin: str) -> None:
        """One leaf per table row, from the fields of `group`."""
        if group is None:
            return
        for row in table:
            attributes = self.amount_attributes if row.kind == AMOUNT else {}
            self.leaf(parent, row.path, getattr(group, row.field), f"{origin}.{row.field}", **attributes)

    def _origins_of(self, element: etree._Element) -> list[str]:
        """Model paths carried by `element` and its descendants, or else by its nearest ancestor."""
        inside = [self.origins[node] for node in element.iter() if node in self.origins]
        if inside:
            return inside
        return [self.origins[node] for node in element.iterancestors() if node in self.origins][:1]

    def conform(
        self, root: etree._Element, layout: SchemaLayout, target: str, excluded: tuple[str, ...] = ()
    ) -> list[FormatWarning]:
        """Put `root` in the schema's order, remove what the schema forbids and what the `excluded`
        XPaths select (rules of the profile beyond its schema), and say what was lost.

        One warning per term and removed place (not one per invoice line).
        """
        warnings: dict[tuple[str | None, str], FormatWarning] = {}
        removals = remove_matches(root, excluded, self.namespaces, "not used in this profile")
        for removal in removals + layout.conform(root):
            where = f"{removal.parent_path}/{'@' if removal.is_attribute else ''}{removal.name}"
            message = f"{target} cannot carry {where} ({removal.reason}); left out"
            lost: dict[str | None, str] = {}
            for origin in self._origins_of(removal.element):
                lost.setdefault(term_for_path(origin), origin)
            for term, origin in (lost or {None: where}).items():
                warnings.setdefault((term, where), FormatWarning(NOT_IN_PROFILE, term, origin, message))
        return list(warnings.values())


def present(model: M | None) -> M | None:
    """`model`, or None when it holds nothing: readers build no empty groups, writers write none."""
    if model is None:
        return None
    return model if any(value not in (None, []) for value in model.__dict__.values()) else None


def value_text(value: str | Decimal | date) -> str:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
