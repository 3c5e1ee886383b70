"""Flows between a platform and the PPF's exchange system: envelope names, tar.gz packing, limits.

Both sides use this module: Coursier to name and pack what it deposits, the sandbox to check what
it receives (and to name what it answers).

DG §3.4.5: an envelope is `<interface code>_<partner application code>_<flow id>`, with `.tar.gz`
or `.xml` (DG §3.4.2 note 66). The application code is that of the partner that sends the flow,
or, for a flow the PPF sends, of the partner it goes to (note 74). The flow id has 25 characters:
the sender's application code (6) then a sequence of 19 digits or capital letters; the AIFE
recommends the 4 digits of the interface code then 15 digits, which `flow_id` follows.
DG §3.4.2 notes 65-67: the files of a flow are of one kind, at most 1 GB a flow and 100 MB a
file; DG §3.4.4 note 69: XML in UTF-8 only.
"""

import gzip
import io
import re
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass

# Interface codes (DG §3.4.5, table 4).
F1_UBL = "FFE0111A"  # regulated data (F1), UBL
F1_CII = "FFE0112A"  # regulated data (F1), CII
F6_INVOICE = "FFE0614A"  # invoice lifecycle (F6)
F6_REGULATED_DATA = "FFE0604A"  # lifecycle of regulated data, sent by the PPF only
F6_MANDATORY_STATUSES = "FFE0654A"  # lifecycle of mandatory statuses (601), sent by the PPF only
F6_TRANSACTIONS = "FFE0624A"  # lifecycle of transaction and payment data (F10: 300/301)
F6_DIRECTORY = "FFE0634A"  # lifecycle of directory updates
F10 = "FFE1025A"  # transaction and payment data (e-reporting)
F13 = "FFE1235A"  # directory update
F14 = "FFE1435A"  # directory export
INTERFACE_CODES = frozenset(
    {F1_UBL, F1_CII, F6_INVOICE, F6_REGULATED_DATA, F6_MANDATORY_STATUSES, F6_TRANSACTIONS, F6_DIRECTORY, F10, F13, F14}
)

# Flow statuses (DG §3.4.4, table 2).
RECEIVABLE = 500  # Recevable
UNACCEPTABLE = 501  # Irrecevable

# Reasons of a 501 (DG §3.4.4, table 3).
IRR_SIZE = "IRR_TAILLE"
IRR_FILE_SIZE = "IRR_TAILLE_F"
IRR_UNIQUENESS = "IRR_UNCITE"
IRR_EMPTY = "IRR_VIDE"
IRR_EMPTY_FILE = "IRR_VIDE_F"
IRR_ENVELOPE_NAME = "IRR_FORM"
IRR_FILE_NAME = "IRR_NOM_F"
IRR_TYPE = "IRR_TYPE"
IRR_FILE_TYPE = "IRR_TYPE_F"
IRR_INTERFACE = "IRR_CODE_INTER"
IRR_EXTRACTION = "IRR_EXTRAC"
IRR_APPLICATION = "IRR_CODE_APP"
IRR_SYNTAX = "IRR_SYNTAX"

# DG §3.4.2 note 67.
MAX_FLOW_BYTES = 1_000_000_000
MAX_FILE_BYTES = 100_000_000

TAR_GZ = ".tar.gz"
XML = ".xml"

APPLICATION_CODE = re.compile(r"[A-Z0-9]{6}")
_ENVELOPE = re.compile(
    r"(?P<interface>[A-Z]{3}[0-9]{4}[A-Z])_(?P<application>[A-Z0-9]{6})_(?P<flow_id>[A-Z0-9]{25})(?P<extension>\.tar\.gz|\.xml)"
)
_SEQUENCE_DIGITS = 15


class EnvelopeError(ValueError):
    """A flow that cannot be read as one: `reason` is its 501 reason code (DG §3.4.4, table 3)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Envelope:
    interface: str
    application_code: str
    flow_id: str
    extension: str = TAR_GZ

    @property
    def name(self) -> str:
        return f"{self.interface}_{self.application_code}_{self.flow_id}{self.extension}"


def check_application_code(code: str) -> str:
    if not APPLICATION_CODE.fullmatch(code):
        raise ValueError(f"an application code is 6 capital letters or digits, not {code!r}")
    return code


def flow_id(application_code: str, interface: str, sequence: int) -> str:
    """The AIFE's recommended flow id: application code, the interface's 4 digits, 15 digits."""
    if not 0 < sequence < 10**_SEQUENCE_DIGITS:
        raise ValueError(f"a flow sequence has at most {_SEQUENCE_DIGITS} digits")
    return f"{check_application_code(application_code)}{interface[3:7]}{sequence:0{_SEQUENCE_DIGITS}d}"


def answer_interface(interface: str) -> str:
    """The interface code of a flow's own lifecycle (500/501): its first letter F made C (DG §3.4.5 note 75)."""
    return "C" + interface[1:]


def parse_name(name: str) -> Envelope:
    """The parts of an envelope's name; `EnvelopeError` (IRR_FORM, IRR_TYPE) when it breaks DG §3.4.5."""
    if not (name.endswith(TAR_GZ) or name.endswith(XML)):
        raise EnvelopeError(IRR_TYPE, f"{name}: a flow is a .tar.gz or .xml file (DG §3.4.2)")
    found = _ENVELOPE.fullmatch(name)
    if found is None:
        raise EnvelopeError(
            IRR_ENVELOPE_NAME,
            f"{name}: an envelope is named <interface code>_<application code>_<flow id of 25 characters> (DG §3.4.5)",
        )
    return Envelope(found["interface"], found["application"], found["flow_id"], found["extension"])


def pack(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A tar.gz of `files`, the same bytes for the same files (no dates, owners or modes)."""
    names = [name for name, _ in files]
    if len(set(names)) != len(names):
        raise ValueError("two files of one flow have the same name")
    buffer = io.BytesIO()
    # mtime=0 in the gzip header and in each member: a flow packed again is byte for byte the same.
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for name, content in files:
            member = tarfile.TarInfo(name)
            member.size = len(content)
            member.mode = 0o644
            archive.addfile(member, io.BytesIO(content))
    return buffer.getvalue()


@dataclass(frozen=True)
class Limits:
    flow_bytes: int = MAX_FLOW_BYTES
    file_bytes: int = MAX_FILE_BYTES


DG_LIMITS = Limits()


def unpack(envelope: Envelope, content: bytes, limits: Limits = DG_LIMITS) -> list[tuple[str, bytes]]:
    """The files of a flow, in order, after the technical checks of DG §3.4.2; `EnvelopeError` else."""
    if not content:
        raise EnvelopeError(IRR_EMPTY, "the flow is empty")
    if len(content) > limits.flow_bytes:
        raise EnvelopeError(IRR_SIZE, f"the flow is over {limits.flow_bytes} bytes")
    if envelope.extension == XML:
        return [(envelope.name, content)]
    files: list[tuple[str, bytes]] = []
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    raise EnvelopeError(IRR_FILE_TYPE, f"{member.name}: a flow holds plain files only")
                # Sizes come from the headers, so an oversized file is refused before it is read.
                if member.size > limits.file_bytes:
                    raise EnvelopeError(IRR_FILE_SIZE, f"{member.name}: over {limits.file_bytes} bytes")
                total += member.size
                if total > limits.flow_bytes:
                    raise EnvelopeError(IRR_SIZE, f"the files of the flow are over {limits.flow_bytes} bytes")
                extracted = archive.extractfile(member)
                files.append((member.name, extracted.read() if extracted else b""))
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise EnvelopeError(IRR_EXTRACTION, f"the archive could not be extracted: {exc}") from exc
    if not files:
        raise EnvelopeError(IRR_EMPTY, "the flow holds no file")
    return files


def file_findings(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """The 501 reasons every file of any flow may earn: empty, not XML, not UTF-8 (DG §3.4.2, note 69)."""
    reasons = []
    for name, content in files:
        if "/" in name or not name.endswith(XML):
            reasons.append((IRR_FILE_TYPE, f"{name}: the files of a flow are .xml files at its top"))
        elif not content.strip():
            reasons.append((IRR_EMPTY_FILE, f"{name}: the file is empty"))
        elif not _utf8(content):
            reasons.append((IRR_SYNTAX, f"{name}: XML files are encoded in UTF-8 (DG §3.4.4 note 69)"))
    return reasons


_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _utf8(content: bytes) -> bool:
    declared = _DECLARED_ENCODING.match(content[:200])
    if declared and declared[1].decode().lower().replace("_", "-") not in {"utf-8", "utf8"}:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
