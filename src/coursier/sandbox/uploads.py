"""Files platforms send to the sandbox (flows, deliveries between platforms): a bare name and
bounded bytes."""

from fastapi import UploadFile

from coursier.kit.errors import CoursierError, Unprocessable
from coursier.validation import InputTooLarge, read_bounded

MAX_FILE_BYTES = 20 * 1024 * 1024


def read_upload(file: UploadFile, too_large: type[CoursierError], what: str) -> tuple[str, bytes]:
    """The file's name and content; `too_large` is raised past MAX_FILE_BYTES."""
    # Only the name counts, not a path a client may have sent with it.
    filename = (file.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if not filename:
        raise Unprocessable("The file part must carry a file name", code="filename_missing")
    try:
        return filename, read_bounded(file.file, MAX_FILE_BYTES)
    except InputTooLarge as exc:
        raise too_large(f"A {what} may not exceed {MAX_FILE_BYTES} bytes") from exc
