"""A zip archive a client sends, read within budgets: how many files, how many bytes once
decompressed in all and per file, and how much a file may have been compressed (a zip bomb turns
kilobytes into gigabytes; invoices compress ten or twenty times).

Only what is asked for is decompressed: a file over its limit is read one byte past it (enough
to know), and the archive's declared sizes are checked before anything is: a declared size that
lies fails the CRC or ends the read early, so no more than declared is ever decompressed.
Folders inside the archive are ignored (a file keeps its own name); a name that climbs out of the
archive (`..`, an absolute path) makes the whole archive refused.
"""

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from coursier.kit.errors import InvalidInput, PayloadTooLarge, Unprocessable

# Local file header and end of central directory (an empty archive) signatures.
_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# What archivers add beside the files (macOS resource forks).
_IGNORED_FOLDERS = ("__MACOSX/",)


@dataclass(frozen=True)
class Budget:
    max_files: int
    max_total_bytes: int  # decompressed, every file counted up to one byte past `max_file_bytes`
    max_file_bytes: int  # a bigger file is read up to one byte past it, not refused here
    max_ratio: int  # decompressed size over compressed size, per file


@dataclass(frozen=True)
class Member:
    name: str
    content: bytes  # at most one byte past the budget's `max_file_bytes`
    size: int  # the whole size, as declared


def is_zip(content: bytes) -> bool:
    return content.startswith(_SIGNATURES)


def read_zip(content: bytes, budget: Budget) -> list[Member]:
    """The files of the archive, in its order; a problem document's error when it is unreadable or
    over a budget."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise InvalidInput(f"The zip archive cannot be read: {exc}", code="invalid_zip") from exc
    with archive:
        entries = [
            info for info in archive.infolist() if not info.is_dir() and not info.filename.startswith(_IGNORED_FOLDERS)
        ]
        _check(entries, budget)
        return [_read(archive, info, budget.max_file_bytes) for info in entries]


def _check(entries: list[zipfile.ZipInfo], budget: Budget) -> None:
    if len(entries) > budget.max_files:
        raise PayloadTooLarge(
            f"The archive holds {len(entries)} files; at most {budget.max_files} are taken at once",
            code="too_many_files",
        )
    total = sum(min(info.file_size, budget.max_file_bytes + 1) for info in entries)
    if total > budget.max_total_bytes:
        raise PayloadTooLarge(
            f"The archive's files make {total} bytes decompressed; at most {budget.max_total_bytes} are taken at once",
            code="batch_too_large",
        )
    for info in entries:
        if _climbs_out(info.filename):
            raise InvalidInput(f"The archive names a file outside itself: {info.filename!r}", code="unsafe_zip_path")
        if info.flag_bits & 0x1:
            raise InvalidInput(f"{info.filename!r} is encrypted: send the files in clear", code="encrypted_zip")
        if info.file_size > budget.max_ratio * max(info.compress_size, 1):
            raise Unprocessable(
                f"{info.filename!r} decompresses to {info.file_size} bytes from {info.compress_size}: more than "
                f"{budget.max_ratio} times, which no invoice does",
                code="zip_ratio_too_high",
            )


def _climbs_out(name: str) -> bool:
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    return posix.is_absolute() or bool(windows.drive) or ".." in posix.parts or ".." in windows.parts


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_file_bytes: int) -> Member:
    try:
        with archive.open(info) as stream:
            content = stream.read(max_file_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError) as exc:
        raise InvalidInput(f"{info.filename!r} cannot be decompressed: {exc}", code="invalid_zip") from exc
    name = PureWindowsPath(info.filename).name  # the folders are ignored; either separator
    return Member(name=name or "invoice", content=content, size=max(info.file_size, len(content)))
