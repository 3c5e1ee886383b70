"""How native rules are declared and run: the schematron model, in Python.

A schematron artefact is a list of patterns; a pattern, a list of rules in priority order; a rule,
a context (which elements it applies to) and assertions. Every pattern sees every element once,
and only the first of its rules whose context matches the element applies (ISO Schematron, as the
official XSLT compiles it). `RuleBook.run` keeps exactly that: one walk of the tree, and for each
element and pattern the first matching rule, found through an index by the element's path (the
names from the root down to it): a context is decided by that path, and by its predicate if it
has one.

Assertions are Python functions of the context element and the `Document` (shared, memoised
values of the invoice). The id, flag and message come from the official catalogue.
"""

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from lxml import etree

from coursier.validation.annotations import explanation_for, terms_concerned
from coursier.validation.artefacts import Artefact, Stage
from coursier.validation.native import catalogue
from coursier.validation.native.xpath import (
    Document,
    Element,
    XPathError,
    blank,
    every,
    exact,
    location,
    select,
    some,
    steps,
    tag,
)
from coursier.validation.report import Issue, reported_rule

Test = Callable[[Element, Document], bool]
Values = Callable[[Element, Document], Sequence[object]]


@dataclass(frozen=True)
class Assert:
    """One official assertion: `holds` is its test; `values` fills the parts of its message the
    official artefact computes from the document ({} in the catalogue)."""

    rule: str
    holds: Test
    values: Values | None = None
    paths: tuple[tuple[str, ...], ...] | None = None  # set by absent()


@dataclass(frozen=True)
class Context:
    """Which elements a rule applies to: an element named `path`'s last step whose ancestors are
    the earlier steps (from the root when `absolute`), and for which `where` holds.

    `names` widens the last step to any element name it accepts (the artefacts' `ram:*[ends-with
    (name(), 'ID')]`); the last step of `path` is then ignored.
    """

    path: tuple[str, ...]
    absolute: bool = False
    where: Test | None = None
    names: Callable[[str], bool] | None = None
    alternatives: tuple["Context", ...] = ()  # of a union ("a | b"): one must match, then `where`

    def accepts_name(self, name: str) -> bool:
        return self.names(name) if self.names is not None else name == self.path[-1]

    def placed_at(self, path: tuple[str, ...]) -> bool:
        """Whether an element at this path (the names from the root down to it) is where the
        context says, its predicate aside: named by the last step, below the earlier steps (the
        first of them the root when absolute); of a union, as one of the alternatives says."""
        if self.alternatives:
            return any(alternative.placed_at(path) for alternative in self.alternatives)
        length = len(self.path)
        if len(path) < length or not self.accepts_name(path[-1]):
            return False
        if length > 1 and path[-length:-1] != self.path[:-1]:
            return False
        return not self.absolute or len(path) == length


class Key:
    """What the predicates of several rules' contexts compare on one element (its VAT category
    code, say), computed once per element and document: each rule's predicate `key.is_(value)` is
    then a look-up, not the comparison again (a pattern tries a dozen category rules in turn).

    `values_of` gives the values the predicates compare (a general comparison: any may equal).
    Where it raises, no predicate keyed on it holds: the predicate would raise, and a context that
    cannot be evaluated does not match (see `_predicate_holds`).
    """

    def __init__(self, values_of: Callable[[Element, Document], Collection[object]]) -> None:
        self._values_of = values_of

    def __call__(self, element: Element, document: Document) -> Collection[object]:
        try:
            return self._values_of(element, document)
        except XPathError:
            return ()

    def is_(self, value: object, rest: Test | None = None) -> Test:
        """The predicate [value among the key's values] (and `rest`, a further predicate: as a
        conjunction, its order does not change whether the context matches)."""
        if rest is None:
            return lambda element, document: value in document.of(self, element)
        return lambda element, document: value in document.of(self, element) and rest(element, document)


def context(path: str, where: Test | None = None, names: Callable[[str], bool] | None = None) -> Context:
    """A context from a path of prefixed names: "/rsm:A/rsm:B" from the root, "ram:A/ram:B" anywhere,
    "ram:*" (with `names`) any element `names` accepts; " | " joins alternatives."""
    if " | " in path:
        alternatives = tuple(context(alternative.strip()) for alternative in path.split(" | "))
        names = frozenset(alternative.path[-1] for alternative in alternatives)
        return Context(("*",), where=where, names=names.__contains__, alternatives=alternatives)
    absolute = path.startswith("/") and not path.startswith("//")  # //x matches x anywhere, as x does
    relative = path.lstrip("/")
    if relative.endswith("*"):
        return Context(("*",), absolute, where, names)
    return Context(steps(relative), absolute, where, names)


def any_name_ending(suffix: str) -> Callable[[str], bool]:
    """Element names of any namespace ending with `suffix` (the artefacts' *[ends-with(name(), ...)])."""
    return lambda name: name.rpartition("}")[2].endswith(suffix)


def local_name_ends(namespace_prefix: str, suffix: str, *, but: Iterable[str] = ()) -> Callable[[str], bool]:
    """Element names of one namespace ending with `suffix` (less those in `but`)."""
    namespace = tag(f"{namespace_prefix}:x")[:-1]
    excluded = frozenset(tag(name) for name in but)
    return lambda name: name.startswith(namespace) and name.endswith(suffix) and name not in excluded


def present(path: str) -> Test:
    """The test `path` (the path selects something)."""
    selector = select(path)
    return lambda element, document: bool(selector(element, document))


def lacking(path: str) -> Test:
    """The test not(path)."""
    selector = select(path)
    return lambda element, document: not selector(element, document)


def filled(path: str) -> Test:
    """The test normalize-space(path) != '' (an error when `path` selects two nodes)."""
    selector = select(path)
    return lambda element, document: not blank(selector(element, document))


def at_most(path: str, limit: int) -> Test:
    """The test count(path) <= limit."""
    selector = select(path)
    return lambda element, document: len(selector(element, document)) <= limit


def exactly(path: str, wanted: int) -> Test:
    """The test count(path) = wanted."""
    selector = select(path)
    return lambda element, document: len(selector(element, document)) == wanted


def either(*tests: Test) -> Test:
    """tests[0] or tests[1] or ..., in `xpath.any_of`'s order."""
    return lambda element, document: some(tests, lambda test: test(element, document))


def both(*tests: Test) -> Test:
    """tests[0] and tests[1] and ..., in `xpath.all_of`'s order."""
    return lambda element, document: every(tests, lambda test: test(element, document))


def no_attribute(rule_id: str, name: str) -> Assert:
    """The test not(@name) on the context element."""
    return Assert(rule_id, lambda element, document: element.get(name) is None)


def absent(rule: str, *paths: str) -> Assert:
    """The most common syntax assertion, not(path) (or not((a|b)/c), given as two paths): the rule
    fails when a path selects an element."""
    return Assert(rule, _never, paths=tuple(steps(path) for path in paths))


def _never(element: Element, document: Document) -> bool:
    raise AssertionError("absent() assertions are decided by their rule's walk")


@dataclass(frozen=True)
class Rule:
    context: Context
    asserts: tuple[Assert, ...]
    # The absent() paths as a tree of element names: {name: (rules failing there, deeper names)}.
    _absent: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    # The other assertions: when no absent() path is present, only these need a look.
    tests: tuple[Assert, ...] = field(default=(), init=False, repr=False, compare=False)
    # False where the official rule does not go on to the element's children: the pattern then
    # sees nothing below the element (a few Factur-X EXTENDED rules).
    descend: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "tests", tuple(check for check in self.asserts if check.paths is None))
        for check in self.asserts:
            for path in check.paths or ():
                level = self._absent
                for depth, step in enumerate(path):
                    fails, deeper = level.setdefault(step, ([], {}))
                    if depth == len(path) - 1:
                        fails.append(check.rule)
                    level = deeper

    def present(self, element: Element, document: Document) -> set[str]:
        """The absent() assertions of this rule that fail on `element`: one walk of its children
        along the paths, however many assertions there are."""
        failed: set[str] = set()
        if self._absent:
            _walk(element, document, self._absent, failed)
        return failed


def _walk(element: Element, document: Document, level: dict, failed: set[str]) -> None:
    for name, children in document.children(element).items():
        found = level.get(name)
        if found is not None:
            fails, deeper = found
            failed.update(fails)
            if deeper:
                for child in children:
                    _walk(child, document, deeper, failed)


def rule(path: str, *asserts: Assert, where: Test | None = None, names: Callable[[str], bool] | None = None) -> Rule:
    """A rule on the elements `path` names (see `context`)."""
    return Rule(context(path, where, names), asserts)


@dataclass
class Pattern:
    rules: tuple[Rule, ...]

    def candidates(self, path: tuple[str, ...]) -> tuple[tuple[Rule, bool], ...]:
        """The rules whose context is placed at this path, in priority order, each with whether
        its predicate still has to hold."""
        return tuple((rule, rule.context.where is not None) for rule in self.rules if rule.context.placed_at(path))


def _below(element: Element, ancestor: Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def derived(
    pattern: Pattern,
    *,
    without: Iterable[str] = (),
    renamed: Mapping[str, str] | None = None,
    replaced: Mapping[str, Assert | Sequence[Assert]] | None = None,
    before: Mapping[str, Sequence[Rule]] | None = None,
    added: Sequence[Rule] = (),
) -> Pattern:
    """`pattern` as an artefact built on it states it (EXTENDED-CTC-FR restates CEN's patterns with a
    few changes): assertions dropped, renamed (same test, another id) or replaced, by id; rules
    inserted `before` the rule stating an id (the order decides which rule of a pattern applies
    first), `added` at the end. A rule left with no assertion is gone from the artefact: dropped."""
    dropped, renamed, replaced, before = frozenset(without), renamed or {}, replaced or {}, before or {}
    rules: list[Rule] = []
    for original in pattern.rules:
        ids = [check.rule for check in original.asserts]
        rules += [inserted for rule_id in ids for inserted in before.get(rule_id, ())]
        asserts: list[Assert] = []
        for check in original.asserts:
            if check.rule in replaced:
                replacement = replaced[check.rule]
                asserts += [replacement] if isinstance(replacement, Assert) else replacement
            elif check.rule in renamed:
                asserts.append(replace(check, rule=renamed[check.rule]))
            elif check.rule not in dropped:
                asserts.append(check)
        if asserts:
            rules.append(Rule(original.context, tuple(asserts)))
    return Pattern((*rules, *added))


# The label before each value a message quotes: "Code : {}, rate : {}, ...".
_QUOTED_LABEL = re.compile(r"([\w-]+) ?: \{\}")


def labelled_values(
    artefact_key: str, rule_id: str, quoted: Callable[[Element, Document], Mapping[str, Callable[[], object]]]
) -> Values:
    """The values of a message that labels each of them ("Code : {}, rate : {}"), read off its
    official text: `quoted` gives, for an element, the value of each label (computed on demand)."""

    def values(element: Element, document: Document) -> list[object]:
        labels = _QUOTED_LABEL.findall(catalogue.entries(artefact_key)[rule_id].message)
        by_label = quoted(element, document)
        return [by_label[label]() if label in by_label else "" for label in labels]

    return values


def _predicate_holds(context: Context, element: Element, document: Document) -> bool:
    """Whether the predicate of a context placed at the element holds; one that cannot be evaluated
    does not (Saxon stops the whole artefact there: there is no official verdict to keep)."""
    try:
        return context.where(element, document)
    except XPathError:
        return False


# The paths a book remembers its candidates for: those of its documents, bounded (a document
# of made-up names must not grow a long-lived process).
_DISPATCH_LIMIT = 20_000


@dataclass
class RuleBook:
    """The native restatement of one official artefact."""

    artefact: Artefact
    patterns: tuple[Pattern, ...]
    # The values an assertion's message quotes, by rule id, where its `Assert` does not give them.
    values: dict[str, Values] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entries = catalogue.entries(self.artefact.key)
        self._dispatch: dict[tuple[str, ...], tuple[tuple[int, tuple[tuple[Rule, bool], ...]], ...]] = {}
        stated = [check.rule for pattern in self.patterns for rule in pattern.rules for check in rule.asserts]
        unknown = sorted(set(stated) - set(self.entries))
        if unknown:
            raise ValueError(f"{self.artefact.key}: rules not in the official artefact: {unknown}")

    @property
    def rules(self) -> frozenset[str]:
        """The ids of the assertions restated."""
        return frozenset(check.rule for pattern in self.patterns for rule in pattern.rules for check in rule.asserts)

    def assertion(self, rule_id: str) -> Assert:
        """The restated assertion of this id (the first, where two rules state it), for an artefact
        that states the same test under its own context or id."""
        return next(
            check
            for pattern in self.patterns
            for rule in pattern.rules
            for check in rule.asserts
            if check.rule == rule_id
        )

    def run(self, tree: etree._ElementTree | Element, document: Document | None = None) -> list[Issue]:
        """Every failed assertion on the document, in document order, as the official reports list them.

        `document` (of the same root) shares its memoised values with the other books run on the
        document: they read many of the same paths and values.
        """
        root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        if document is None:
            document = Document(root)
        elif document.root is not root:
            raise ValueError("the document given is not the one validated")
        # The official report lists findings pattern by pattern, each in document order.
        found: list[list[Issue]] = [[] for _ in self.patterns]
        dispatch = self._dispatch
        pruned: dict[int, Element] = {}  # pattern index -> the element below which it sees nothing
        with exact():
            for element, path in document.elements():
                candidates = dispatch.get(path)
                if candidates is None:
                    if len(dispatch) >= _DISPATCH_LIMIT:
                        dispatch.clear()
                    candidates = dispatch[path] = self._candidates(path)
                for index, rules in candidates:
                    if pruned and index in pruned:
                        if _below(element, pruned[index]):
                            continue
                        del pruned[index]
                    for rule, conditional in rules:
                        if conditional and not _predicate_holds(rule.context, element, document):
                            continue
                        if not rule.descend:
                            pruned[index] = element
                        present = rule.present(element, document) if rule._absent else None
                        for check in rule.asserts if present else rule.tests:
                            if check.paths is not None:
                                if check.rule in present:
                                    found[index].append(self._issue(check, element, document))
                                continue
                            try:
                                if check.holds(element, document):
                                    continue
                            except XPathError as exc:
                                found[index].append(self._issue(check, element, document, exc))
                                continue
                            found[index].append(self._issue(check, element, document))
                        break
        return [issue for issues in found for issue in issues]

    def _candidates(self, path: tuple[str, ...]) -> tuple[tuple[int, tuple[tuple[Rule, bool], ...]], ...]:
        """For an element's path, the patterns that have rules for it, with those rules in priority
        order (see `Pattern.candidates`)."""
        return tuple(
            (index, rules) for index, pattern in enumerate(self.patterns) if (rules := pattern.candidates(path))
        )

    def _issue(self, check: Assert, element: Element, document: Document, error: XPathError | None = None) -> Issue:
        """The finding of a failed assertion, as the official report words it."""
        entry = self.entries[check.rule]
        message = entry.message
        if "{}" in message:
            # As the official report, white space normalised once the values are in.
            message = " ".join(message.format(*self._values(check, element, document, message.count("{}"))).split())
        if error is not None:
            message += f" (not decidable: {error})"
        rule_id = reported_rule(message, catalogue.official_id(check.rule))
        return Issue(
            stage=Stage.SCHEMATRON,
            artefact=self.artefact.key,
            rule=rule_id,
            severity=entry.severity,
            message=message,
            location=location(element),
            bt=terms_concerned(rule_id, message),
            explanation=explanation_for(rule_id),
        )

    def _values(self, check: Assert, element: Element, document: Document, count: int) -> list[object]:
        quoted = self.values.get(check.rule, check.values)
        values: list[object] = []
        if quoted is not None:
            try:
                values = list(quoted(element, document))
            except XPathError:
                values = []
        return (values + [""] * count)[:count]
