"""The XPath 2.0 value semantics the official schematron tests rely on, for rules written in Python.

The official artefacts are XSLT 2.0: a node compared with a string compares its text; compared
with a number, its text becomes an xs:double; `xs:decimal(...)` is exact decimal arithmetic;
`sum()` of nodes adds doubles; `round()` rounds half up; functions taking one value fail on two.
The native rules must decide exactly as the artefacts do, so they use these helpers rather than
Python's own conversions (float("1e3 ") and str.split() are more lenient than XPath).

Where the official engine would stop with a dynamic error (a text that is no number, two values
where one is expected), the helpers raise `XPathError`; the rule engine reports the assertion as
failed on that node (the official artefact gives no verdict at all there: Saxon stops).
"""

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Context, Decimal, InvalidOperation, localcontext
from sys import intern
from typing import TypeVar

from lxml import etree

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UBL = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CN = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
PREFIXES = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT, "ubl": UBL, "cn": CN, "cac": CAC, "cbc": CBC, "ext": EXT}

Element = etree._Element
T = TypeVar("T")
Number = Decimal | float

# Decimal arithmetic of the artefacts is exact (Java BigDecimal); a double converted to xs:decimal
# keeps its exact binary value (up to ~1,100 digits), so the precision must hold that.
_EXACT = Context(prec=1200)
# XPath white space (normalize-space, the number and decimal lexical forms): these four only.
_XML_SPACE = " \t\r\n"
_SPACE_RUN = re.compile(r"[ \t\r\n]+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_DOUBLE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


class XPathError(Exception):
    """Where XPath raises a dynamic or type error: the official engine stops there."""


class Document:
    """The invoice being checked: its root, its elements (in document order, by name, each one's
    children by name: indexed in one walk), and values computed once for every rule that needs them.

    lxml gives the same Python object for an element as long as one is alive: the index keeps them
    all alive, so elements found any way are the keys the index and the memos know.
    """

    __slots__ = ("root", "_elements", "_by_tag", "_children", "_memo", "_found")

    def __init__(self, root: Element) -> None:
        self.root = root
        self._elements: list[tuple[Element, tuple[str, ...]]] | None = None
        self._by_tag: dict[str, list[Element]] = {}
        self._children: dict[Element, dict[str, list[Element]]] = {}
        self._memo: dict = {}
        self._found: dict[object, dict[Element, object]] = {}  # find() and of(): by path or function, then node

    def elements(self) -> list[tuple[Element, tuple[str, ...]]]:
        """Every element in document order, with its path: the names from the root down to it
        (interned: the same names are the same strings in every document)."""
        if self._elements is None:
            self._index()
        return self._elements

    def named(self, name: str) -> list[Element]:
        """Every element of this Clark name, in document order (XPath //name)."""
        if self._elements is None:
            self._index()
        return self._by_tag.get(name, [])

    def children(self, element: Element) -> dict[str, list[Element]]:
        """The child elements of an element by name, each list in document order (lxml's
        iterchildren(name) costs about a microsecond a call; this, a look-up)."""
        if self._elements is None:
            self._index()
        return self._children.get(element, _NO_CHILDREN)

    def _index(self) -> None:
        walked: list[tuple[Element, tuple[str, ...]]] = []
        by_tag, children = self._by_tag, self._children
        paths: dict[Element, tuple[str, ...]] = {}
        for element in self.root.iter(etree.Element):
            name = intern(element.tag)
            by_tag.setdefault(name, []).append(element)
            parent = element.getparent()
            path = paths[element] = (name,) if parent is None else (*paths[parent], name)
            walked.append((element, path))
            if parent is None:
                continue
            siblings = children.get(parent)
            if siblings is None:
                siblings = children[parent] = {}
            siblings.setdefault(name, []).append(element)
        self._elements = walked

    def of(self, function: Callable[[Element, "Document"], object], node: Element):
        """function(node, document), computed once per node and document (an error is not kept)."""
        try:
            by_node = self._found[function]
        except KeyError:
            by_node = self._found[function] = {}
        try:
            return by_node[node]
        except KeyError:
            value = by_node[node] = function(node, self)
            return value

    def memo(self, key, compute):
        """The value of `compute()`, computed once per document under `key`."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value


def per_document(test):
    """A test of (element, document) that depends on the document only: computed once per document
    (a VAT category rule asks whether the seller has a VAT id once per line otherwise)."""

    def cached(element: Element, document: Document):
        return document.memo(cached, lambda: test(element, document))

    return cached


def memoised(function):
    """A function of (document, *arguments), computed once per document and arguments."""

    def cached(document: Document, *arguments):
        return document.memo((cached, arguments), lambda: function(document, *arguments))

    return cached


Node = Element | str  # an element, or the value of an attribute
Selector = Callable[[Element, Document], list]


def select(path: str) -> Selector:
    """A location path of the artefacts, without predicates, as a function of (context, document).

    Steps are prefixed element names, ".." and a last "@name"; the path is relative to the
    context, from the root when it starts with "/", or from any element of its first step's name
    when it starts with "//". Compiled once per distinct path.
    """
    try:
        return _SELECTORS[path]
    except KeyError:
        selector = _SELECTORS[path] = _compile(path)
        return selector


def find(node: Element, document: Document, path: str) -> list:
    """The nodes `path` selects from `node` (see `select`), selected once per document: many rules
    read the same path from the same node. The list is shared: never change it."""
    child = _CHILD_STEP.get(path)
    if child is not None:  # one child step: the document's index has the list
        return document.children(node).get(child) or []
    by_node = document._found.get(path)
    if by_node is None:
        by_node = document._found[path] = {}
    else:
        found = by_node.get(node)
        if found is not None:
            return found
    if path.startswith("/") and node is not document.root:  # from the root: the same from any node
        found = by_node[node] = find(document.root, document, path)
    else:
        found = by_node[node] = select(path)(node, document)
    return found


def _compile(path: str) -> Selector:
    attribute_name = None
    if "@" in path:
        path, _, attribute_name = path.rpartition("@")
        path = path.rstrip("/")
    if path.startswith("//"):
        first_step, _, rest = path[2:].partition("/")
        start = ("descendants", tag(first_step))
    elif path.startswith("/"):
        first_step, _, rest = path[1:].partition("/")
        start = ("root", tag(first_step))
    else:
        start, rest = ("context", None), path
    moves = tuple(".." if step == ".." else tag(step) for step in rest.split("/") if step and step != ".")
    if attribute_name is not None and path:
        return _attributes(path, attribute_name)
    if ".." not in moves and (start[0] != "context" or len(moves) > 2) and moves:
        return _last_step(path.rpartition("/")[0], moves[-1])
    if start[0] == "context" and attribute_name is None and ".." not in moves and 1 <= len(moves) <= 2:
        if len(moves) == 1:
            _CHILD_STEP[path] = moves[0]
        return _child_steps(*moves)

    def selector(node: Element, document: Document) -> list:
        kind, name = start
        if kind == "descendants":
            current = document.named(name)
        elif kind == "root":
            current = [document.root] if document.root.tag == name else []
        else:
            current = [node]
        for move in moves:
            if not current:
                return current
            if move == "..":
                parents = []
                for element in current:
                    parent = element.getparent()
                    if parent is not None and all(parent is not seen for seen in parents):
                        parents.append(parent)
                current = parents
            elif len(current) == 1:
                current = list(current[0].iterchildren(move))
            else:
                current = [child for element in current for child in element.iterchildren(move)]
        if attribute_name is not None:
            return [value for element in current if (value := element.get(attribute_name)) is not None]
        return current

    return selector


def _child_steps(first: str, second: str | None = None) -> Selector:
    """The most common paths, one or two child steps, without the general loop (from the
    document's index of children: lists of its own, the index's are never handed out)."""
    if second is None:
        return lambda node, document: list(document.children(node).get(first, ()))
    return lambda node, document: [
        grandchild
        for child in document.children(node).get(first, ())
        for grandchild in document.children(child).get(second, ())
    ]


def _last_step(prefix: str, name: str) -> Selector:
    """A longer path as its last step from what the rest selects (`find`: many paths of the
    artefacts share their first steps, selected once per document)."""
    return lambda node, document: [
        child for element in find(node, document, prefix) for child in document.children(element).get(name, ())
    ]


def _attributes(path: str, name: str) -> Selector:
    """path/@name: the attribute of each element the path selects that has it."""
    return lambda node, document: [
        value for element in find(node, document, path) if (value := element.get(name)) is not None
    ]


_SELECTORS: dict[str, Selector] = {}
_NO_CHILDREN: dict[str, list[Element]] = {}
_CHILD_STEP: dict[str, str] = {}  # the paths of one child step, with the name of that step


def any_of(*operands: Callable[[], bool]) -> bool:
    """`a or b or ...` as any evaluation order that gives a verdict would decide it.

    XPath leaves the order of `or` and `and` operands to the engine, and Saxon does reorder them,
    so an operand that raises an error may never have been evaluated. A rule gives a verdict
    whenever some order avoids the error: true as soon as one operand is true, the error only
    when no operand is.
    """
    return some(operands, _value)


def all_of(*operands: Callable[[], bool]) -> bool:
    """`a and b and ...`, with the error of an operand only when no other operand is false (see any_of)."""
    return every(operands, _value)


def some(items: Iterable[T], holds: Callable[[T], bool]) -> bool:
    """`holds(item)` for one of `items`, in `any_of`'s order: true as soon as one does, an error
    only when none does (no closure per item, for the hot paths)."""
    error: XPathError | None = None
    for item in items:
        try:
            if holds(item):
                return True
        except XPathError as exc:
            error = exc
    if error is not None:
        raise error
    return False


def every(items: Iterable[T], holds: Callable[[T], bool]) -> bool:
    """`holds(item)` for all of `items`, in `all_of`'s order: false as soon as one does not, an
    error only when none is false."""
    error: XPathError | None = None
    for item in items:
        try:
            if not holds(item):
                return False
        except XPathError as exc:
            error = exc
    if error is not None:
        raise error
    return True


def _value(operand: Callable[[], bool]) -> bool:
    return operand()


def exact() -> "localcontext":
    """The decimal context the rules run in: exact, as xs:decimal is."""
    return localcontext(_EXACT)


def tag(path: str) -> str:
    """Clark notation of one prefixed name: "ram:ID" -> "{urn:...}ID"."""
    prefix, _, local = path.partition(":")
    return f"{{{PREFIXES[prefix]}}}{local}"


def steps(path: str) -> tuple[str, ...]:
    """The child steps of a relative path of prefixed names: "ram:A/ram:B"."""
    return tuple(tag(step) for step in path.split("/"))


def children(node: Element, path: tuple[str, ...]) -> list[Element]:
    """The elements `path` selects below `node`, in document order (child steps only)."""
    found = [node]
    for step in path:
        found = [child for parent in found for child in parent.iterchildren(step)]
        if not found:
            break
    return found


def first(node: Element, path: tuple[str, ...]) -> Element | None:
    """The first element `path` selects below `node`, or None."""
    current = [node]
    for step in path:
        current = [child for parent in current for child in parent.iterchildren(step)]
        if not current:
            return None
    return current[0]


def exists(node: Element, path: tuple[str, ...]) -> bool:
    return first(node, path) is not None


def text(node: Element | str | None) -> str:
    """The string value of a node (its text and its descendants', comments left out); "" for None."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    if len(node) == 0:
        return node.text or ""
    return "".join(node.itertext())


def one(nodes: Sequence[Element | str]) -> Element | str | None:
    """The only item of a sequence an XPath function takes as one optional value (xs:string?)."""
    if len(nodes) > 1:
        raise XPathError("a sequence of more than one item where one is expected")
    return nodes[0] if nodes else None


def normalize(value: str) -> str:
    """normalize-space(): XML white space trimmed and runs collapsed (other spaces kept)."""
    if value.isalnum():  # most codes ("S", "VAT", "380"): no white space at all
        return value
    return _SPACE_RUN.sub(" ", value).strip(_XML_SPACE)


def blank(nodes: Sequence[Element | str]) -> bool:
    """normalize-space(nodes) = '' (so absent, or only white space); an error for two nodes."""
    return blank_text(text(one(nodes)))


def blank_text(value: str) -> bool:
    """normalize-space(value) = '': only XML white space, known without normalising the whole text
    (an attachment's base64, megabytes of lines: some 7 ms a megabyte to normalise, 20 µs to strip)."""
    return not value.strip(_XML_SPACE)


def decimal(value: Element | str | None) -> Decimal | None:
    """xs:decimal() of one node or string; None for no node (the empty sequence)."""
    if value is None:
        return None
    lexical = text(value).strip(_XML_SPACE)
    if not _DECIMAL.fullmatch(lexical):
        raise XPathError(f'cannot convert "{lexical}" to xs:decimal')
    return Decimal(lexical)


def decimals(nodes: Iterable[Element | str]) -> list[Decimal]:
    """xs:decimal() of each node, as a path step ending in xs:decimal(.) gives."""
    return [decimal(node) for node in nodes]


def double(value: Element | str | None) -> float | None:
    """A node's text as xs:double: what XPath does to a node compared with or added to a number."""
    if value is None:
        return None
    lexical = text(value).strip(_XML_SPACE)
    if _DOUBLE.fullmatch(lexical):
        return float(lexical)
    if lexical in ("INF", "+INF"):
        return math.inf
    if lexical == "-INF":
        return -math.inf
    if lexical == "NaN":
        return math.nan
    raise XPathError(f'cannot convert "{lexical}" to xs:double')


def boolean(node: Element | str) -> bool:
    """An untyped value cast to xs:boolean, as `udt:Indicator = true()` does."""
    value = normalize(text(node))
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise XPathError(f'cannot convert "{value}" to xs:boolean')


def number(value: Element | str | None) -> float:
    """fn:number(): like `double` but NaN instead of an error."""
    try:
        converted = double(value)
    except XPathError:
        return math.nan
    return math.nan if converted is None else converted


def doubles(nodes: Iterable[Element | str]) -> list[float]:
    return [double(node) for node in nodes]


def sum_doubles(nodes: Iterable[Element | str]) -> float | int:
    """sum() of nodes: each text an xs:double, added in document order; 0 (an integer) for none."""
    values = doubles(nodes)
    if not values:
        return 0
    total = values[0]  # sum((-0.0)) is -0.0: the first value is not added to an integer 0
    for value in values[1:]:
        total = total + value
    return total


def to_decimal(value: Number | int | None) -> Decimal | None:
    """xs:decimal() of a number: a double keeps its exact binary value."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        raise XPathError("cannot convert NaN or INF to xs:decimal")
    return Decimal(value)


def round_half_up(value: Number | int | None) -> Number | int | None:
    """fn:round(): to the nearest integer, halves towards positive infinity."""
    if value is None:
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return value
        floor = math.floor(value)
        rounded = float(floor + 1 if value - floor >= 0.5 else floor)
        # round(-0.5) .. round(-0.0) is -0.0, which Saxon orders below 0.0 (see `_compare_double`).
        return math.copysign(rounded, value) if rounded == 0 else rounded
    if isinstance(value, int):
        return value
    return (value + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR")


def promote(a: Number | int, b: Number | int) -> tuple[Number | int, Number | int]:
    """Operands of a numeric operation or comparison: a double with a decimal makes both doubles."""
    if isinstance(a, float) and not isinstance(b, float):
        return a, float(b)
    if isinstance(b, float) and not isinstance(a, float):
        return float(a), b
    return a, b


def add(*values: Number | int | None) -> Number | int | None:
    """a + b + ... with XPath promotion; None (the empty sequence) if any operand is None."""
    total: Number | int | None = 0
    for value in values:
        if value is None:
            return None
        total, value = promote(total, value)
        total = total + value
    return total


def sub(a: Number | int | None, b: Number | int | None) -> Number | int | None:
    if a is None or b is None:
        return None
    a, b = promote(a, b)
    return a - b


def mul(a: Number | int | None, b: Number | int | None) -> Number | int | None:
    if a is None or b is None:
        return None
    a, b = promote(a, b)
    return a * b


def div(a: Number | int | None, b: Number | int | None) -> Number | int | None:
    """a div b; a decimal division by zero is an error, a double one gives INF or NaN."""
    if a is None or b is None:
        return None
    a, b = promote(a, b)
    if isinstance(a, float):
        if b == 0:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
        return a / b
    if b == 0:
        raise XPathError("decimal division by zero")
    try:
        return Decimal(a) / Decimal(b)
    except InvalidOperation as exc:
        raise XPathError(str(exc)) from exc


def absolute(value: Number | int | None) -> Number | int | None:
    return None if value is None else abs(value)


def equal(a: Number | int | None, b: Number | int | None) -> bool:
    """a = b on two optional numbers (false when either is the empty sequence, or NaN)."""
    if a is None or b is None:
        return False
    a, b = promote(a, b)
    return a == b


def less(a: Number | int | None, b: Number | int | None) -> bool:
    if a is None or b is None:
        return False
    a, b = promote(a, b)
    return a < b


def less_or_equal(a: Number | int | None, b: Number | int | None) -> bool:
    if a is None or b is None:
        return False
    a, b = promote(a, b)
    return a <= b


def compares(nodes: Iterable[Element | str], operator: str, other: Number | int | None) -> bool:
    """The general comparison `nodes operator other` of untyped nodes with a number, as Saxon does it.

    Each node's text becomes an xs:double (a text that is no number is an error, unless another
    node already satisfies the comparison: see `any_of`). Saxon orders a node whose text is "NaN"
    above any number but NaN: `NaN >= 0` holds, `NaN = 0` does not (checked against saxonche);
    against NaN itself only != holds.
    """
    if other is None:
        return False
    exact_other = not isinstance(other, float)
    other = float(other) + 0.0 if exact_other else other  # an xs:decimal has no negative zero
    return some(nodes, lambda node: _compare_double(_untyped_double(node, exact_other), operator, other))


def _untyped_double(node: Element | str, exact_other: bool) -> float:
    """An untyped value as Saxon reads it to compare with a number: "-0" against an integer or a
    decimal is 0, "-0.00" (or "-0" against a double) is -0.0 (checked against saxonche)."""
    value = double(node)
    if value == 0 and exact_other and _INTEGER.fullmatch(text(node).strip(_XML_SPACE)):
        return 0.0
    return value


def _compare_double(value: float, operator: str, other: float) -> bool:
    """Saxon orders untyped values as Java's Double.compare does: NaN above any number, -0.0 below 0.0."""
    if value == 0 and other == 0:
        value, other = math.copysign(1, value), math.copysign(1, other)
    if math.isnan(other) or not math.isnan(value):
        return _OPERATORS[operator](value, other)
    return operator in ("!=", ">", ">=")


_OPERATORS = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def any_text(nodes: Iterable[Element | str], *candidates: str) -> bool:
    """nodes = ('a', 'b'): one node's text equals one of the strings."""
    return any(text(node) in candidates for node in nodes)


def texts(nodes: Iterable[Element | str]) -> Iterator[str]:
    return (text(node) for node in nodes)


def decimals_after_point(value: Element | str | None) -> int:
    """string-length(substring-after(x, '.')): how many characters follow the first full stop."""
    lexical = text(value)
    point = lexical.find(".")
    return 0 if point < 0 else len(lexical) - point - 1


def attribute(node: Element | None, name: str) -> str | None:
    return None if node is None else node.get(name)


def location(node: Element) -> str:
    """Where a node is, as the official reports write it once readable: /rsm:X[1]/ram:Y[2]."""
    steps_: list[str] = []
    current: Element | None = node
    while current is not None:
        qname = etree.QName(current)
        parent = current.getparent()
        position = 1
        if parent is not None:
            for sibling in parent.iterchildren(current.tag):
                if sibling is current:
                    break
                position += 1
        prefix = _PREFIX_OF.get(qname.namespace)
        if prefix:
            name = f"{prefix}:{qname.localname}"
        else:
            name = f"*:{qname.localname}[namespace-uri()='{qname.namespace or ''}']"
        steps_.append(f"{name}[{position}]")
        current = parent
    return "/" + "/".join(reversed(steps_))


_PREFIX_OF = {
    RSM: "rsm",
    RAM: "ram",
    UDT: "udt",
    QDT: "qdt",
    UBL: "ubl",
    CN: "cn",
    CAC: "cac",
    CBC: "cbc",
    EXT: "ext",
}
