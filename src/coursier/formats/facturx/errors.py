"""The one error type of the Factur-X package: a stable code for programs, a sentence for people."""

from enum import StrEnum


class FacturXErrorCode(StrEnum):
    TOO_LARGE = "too_large"
    NOT_PDF = "not_pdf"
    PDF_UNREADABLE = "pdf_unreadable"
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_NO_XML = "pdf_no_xml"
    XML_MALFORMED = "xml_malformed"
    UNSUPPORTED_PROFILE = "unsupported_profile"
    XML_SCHEMA_INVALID = "xml_schema_invalid"


class FacturXError(Exception):
    def __init__(self, code: FacturXErrorCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type, tuple[FacturXErrorCode, str]]:
        # Raised in CPU worker processes (kit.cpu), so it must unpickle with its own arguments.
        return type(self), (self.code, self.message)
