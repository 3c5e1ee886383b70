"""Active content in a PDF: what a reader would run or launch when the file is opened or used.

Found by walking the PDF's object tree from its catalog (not by searching the bytes, which
compressed object streams and name escapes such as `/Java#53cript` would hide):
- actions that run JavaScript (`/S /JavaScript`, or a `/JS` entry) or launch an application
  (`/S /Launch`), wherever they hang: `/OpenAction`, additional actions `/AA` of the document, a
  page, a field or an annotation, link annotations, chained `/Next` actions;
- document-level JavaScript (a `/JavaScript` name tree under `/Names`);
- embedded files that are programs: by their name, their MIME type or their first bytes.

PDF/A (ISO 19005), which Factur-X requires, forbids JavaScript and Launch actions: a genuine
invoice never carries them. The walk leaves out what pages draw with (their `/Resources` and
`/Contents`: fonts, images, content streams), most of a PDF's objects and nowhere a reader looks
for an action to run. It visits each object once and stops at `MAX_INSPECTED_OBJECTS`,
and only the first bytes of at most `MAX_INSPECTED_FILES` embedded files are looked at; a PDF beyond
either bound cannot be vouched for and is reported as such.
"""

from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_INSPECTED_OBJECTS = 200_000
MAX_INSPECTED_FILES = 32

_DRAWING_ONLY = frozenset({"/Resources", "/Contents"})
_RUNNING_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "launch"}
_EXECUTABLE_EXTENSIONS = frozenset(
    ".exe .dll .com .scr .bat .cmd .msi .ps1 .vbs .vbe .js .jse .wsf .hta .jar .sh .app .elf .bin .so .dylib".split()
)
_EXECUTABLE_MEDIA_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-msdos-program",
        "application/x-dosexec",
        "application/x-executable",
        "application/x-sharedlib",
        "application/x-mach-binary",
        "application/x-sh",
        "application/java-archive",
        "application/javascript",
        "text/javascript",
        "application/vnd.microsoft.portable-executable",
    }
)
# Windows PE, ELF, Mach-O (both byte orders, 32 and 64 bits, universal), scripts with a shebang.
_EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)


def active_content(reader: PdfReader) -> tuple[str, ...]:
    """What in `reader`'s document would run or launch, one description each (empty: none)."""
    found: dict[str, None] = {}  # ordered and without repeats
    files = _FileBudget()
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[object, str]] = [(reader.trailer.raw_get("/Root"), "/Root")]
    visited = 0
    while stack:
        node, via = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        visited += 1
        if visited > MAX_INSPECTED_OBJECTS:
            found[f"more than {MAX_INSPECTED_OBJECTS} objects, too many to inspect"] = None
            break
        if isinstance(node, DictionaryObject):
            found.update(dict.fromkeys(_dictionary_findings(node, via, files)))
            stack.extend(
                (value, _path(via, key))
                for key, value in node.items()
                if key not in _DRAWING_ONLY and _may_hold_more(value)
            )
        elif isinstance(node, ArrayObject):
            stack.extend((value, via) for value in node if _may_hold_more(value))
    if files.exceeded:
        found[f"more than {MAX_INSPECTED_FILES} embedded files, too many to inspect"] = None
    return tuple(found)


def _path(via: str, key: str) -> str:
    """Where a value hangs, told by its key and its parent's (`/AA /O`, `/Root /OpenAction`)."""
    return f"{via.rpartition(' ')[2]} {key}"


def _may_hold_more(value: object) -> bool:
    return isinstance(value, IndirectObject | DictionaryObject | ArrayObject)


class _FileBudget:
    """How many more embedded files may have their first bytes read; `exceeded` once one could not."""

    def __init__(self) -> None:
        self.left = MAX_INSPECTED_FILES
        self.exceeded = False

    def take(self) -> bool:
        if self.left == 0:
            self.exceeded = True
            return False
        self.left -= 1
        return True


def _dictionary_findings(node: DictionaryObject, via: str, files: _FileBudget) -> Iterator[str]:
    action = _RUNNING_ACTIONS.get(str(node.get("/S", "")))
    if action is None and "/JS" in node:
        action = "JavaScript"
    if action is not None:
        yield f"a {action} action ({via})"
    if via.endswith("/Names") and "/JavaScript" in node:
        yield "document-level JavaScript (/Names /JavaScript)"
    if "/EF" in node:
        yield from _embedded_program(node, files)


def _embedded_program(spec: DictionaryObject, files: _FileBudget) -> Iterator[str]:
    """An embedded file (a file specification with `/EF`) that is a program."""
    name = str(spec.get("/UF") or spec.get("/F") or "")
    described = f"an embedded program '{name}'" if name else "an embedded program"
    if any(name.lower().endswith(extension) for extension in _EXECUTABLE_EXTENSIONS):
        yield described
        return
    embedded = spec["/EF"].get("/F") if isinstance(spec["/EF"], DictionaryObject) else None
    if embedded is None:
        return
    media_type = str(embedded.get("/Subtype", "")).lstrip("/").replace("#2F", "/").lower()
    if media_type in _EXECUTABLE_MEDIA_TYPES:
        yield described
        return
    if files.take() and embedded.get_data()[:4].startswith(_EXECUTABLE_MAGIC):
        yield described
