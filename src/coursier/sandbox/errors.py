"""Errors of the sandbox beyond those of `coursier.kit.errors`; all become problem+json documents."""

from coursier.kit.errors import CoursierError


class Forbidden(CoursierError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class FlowTooLarge(CoursierError):
    status = 413
    code = "flow_too_large"
    title = "Flow too large"


class MessageTooLarge(CoursierError):
    status = 413
    code = "message_too_large"
    title = "Message too large"
