"""Why a lifecycle message cannot be read or built, each reason with a stable code."""

from coursier.kit.errors import Unprocessable


class CdarError(Unprocessable):
    """A CDAR message Coursier refuses to read, or a status message it refuses to build."""

    code = "cdar_invalid"

    # Reading
    NOT_XML = "cdar_not_xml"
    DOCTYPE = "cdar_doctype"
    TOO_LARGE = "cdar_too_large"
    NOT_CDAR = "cdar_not_cdar"
    MISSING = "cdar_missing_data"
    INVALID_VALUE = "cdar_invalid_value"
    UNSUPPORTED = "cdar_unsupported"
    # Building
    REASON_REQUIRED = "cdar_reason_required"
    REASON_NOT_ALLOWED = "cdar_reason_not_allowed"
    COMMENT_REQUIRED = "cdar_comment_required"
    AMOUNTS_REQUIRED = "cdar_amounts_required"
    NOT_FOR_PPF = "cdar_status_not_for_ppf"
    PARTY_INCOMPLETE = "cdar_party_incomplete"
