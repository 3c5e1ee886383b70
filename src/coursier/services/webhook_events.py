"""What integrators receive: the event types, the event as the feed shows it, and the webhook payload.

`EVENT_TYPES` is the one table from lifecycle status codes (`InvoiceLifecycleStatus.MADE_AVAILABLE`)
to the types endpoints subscribe to (`invoice.received`); `GET /api/webhooks/event-types` is this
table, its examples built by the same code as the real payloads. A code the table does not name
takes its family's catch-all type (`invoice.status_changed`), so invoice statuses added later are
delivered too; a family without one (directory lines, status reporting, webhooks) must be named here.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from coursier.db.lifecycle import LifecycleEvent
from coursier.model.lifecycle import InvoiceStatus, event_code

# Object types of the feed: the Seqino ones, and this platform's webhook endpoints.
OBJECT_TYPES = (
    "invoice",
    "mandate",
    "directory_entry",
    "regulatory_data",
    "flow",
    "transaction_data",
    "lifecycle_status",
    "period",
    "webhook",
)
WEBHOOK_DISABLED = "WebhookStatus.DISABLED"
# The official artefacts, run again on a share of deposits, disagreed with the native rules.
VALIDATION_INCIDENT = "ValidationIncident.SHADOW_DISAGREEMENT"
# Sent by POST /api/webhooks/{id}/test only; never a lifecycle event.
TEST_TYPE = "webhook.test"


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    # The object the events of this type are about (for the example payload).
    object_type: str
    status_codes: tuple[str, ...] = ()
    # The status family whose codes no other type names fall to this type.
    catch_all_of: tuple[str, ...] = ()
    # Someone must act: e-mailed to the client's notification address (texts `<key>.subject`, `.body`).
    attention_mail: str | None = None


def _invoice(*statuses: InvoiceStatus) -> tuple[str, ...]:
    return tuple(event_code(status) for status in statuses)


EVENT_TYPES: tuple[EventType, ...] = (
    EventType(
        "invoice.deposited",
        "An invoice the client sent passed the platform's checks and was accepted (200 Déposée).",
        "invoice",
        _invoice(InvoiceStatus.DEPOSITED),
    ),
    EventType(
        "invoice.rejected",
        "An invoice the client sent was refused at deposit (213 Rejetée, 501 Irrecevable) or could not be "
        "routed to its receiver (221 Erreur de routage), or the seller's platform rejected an invoice the "
        "client received (213); `rejection_reason` gives the reason code.",
        "invoice",
        _invoice(InvoiceStatus.REJECTED, InvoiceStatus.UNACCEPTABLE, InvoiceStatus.ROUTING_ERROR),
    ),
    EventType(
        "invoice.transmitted",
        "An invoice the client sent was handed over to the receiver's platform (201 Émise par la plateforme).",
        "invoice",
        _invoice(InvoiceStatus.TRANSMITTED_BY_PLATFORM),
    ),
    EventType(
        "invoice.received",
        "An invoice addressed to the client was received and made available to it (203 Mise à disposition).",
        "invoice",
        _invoice(InvoiceStatus.MADE_AVAILABLE),
    ),
    EventType(
        "invoice.validation_incident",
        "The official EN 16931 and French artefacts, run again in the background on a share of the invoices "
        "the client sent, disagreed with the platform's own rules. The official verdict wins: an invoice "
        "accepted wrongly and not yet routed is then refused (213, with its own event). `event.details` "
        "lists the findings on each side and what was done (`outcome`).",
        "invoice",
        (VALIDATION_INCIDENT,),
    ),
    EventType(
        "invoice.status_changed",
        "Any other lifecycle status of an invoice, sent or received (202, 204 to 212, 214, 220, 224 to 228…): "
        "`event.status_code` names it and `event.details.status_code` gives its number.",
        "invoice",
        _invoice(
            InvoiceStatus.RECEIVED_BY_PLATFORM,
            *(status for status in InvoiceStatus if 204 <= status <= 212 or 214 <= status <= 228),
        ),
        catch_all_of=("InvoiceLifecycleStatus",),
    ),
    EventType(
        "mandate.created",
        "A mandate was created; it waits for its signature or its registration.",
        "mandate",
        ("MandateLifecycleStatus.CREATED",),
    ),
    EventType(
        "mandate.signed",
        "The client signed its mandate through the onboarding link.",
        "mandate",
        ("MandateLifecycleStatus.SIGNED",),
    ),
    EventType(
        "mandate.activated",
        "The mandate's directory line is registered at the PPF: invoices to the client now reach this platform.",
        "mandate",
        ("MandateLifecycleStatus.ACTIVE",),
    ),
    EventType(
        "mandate.failed",
        "The mandate could not be registered (unknown company, line served by another platform, PPF "
        "unreachable for too long); `reason` says why. Also e-mailed to the client's notification address.",
        "mandate",
        ("MandateLifecycleStatus.ERROR",),
        attention_mail="mail.mandate_failed",
    ),
    EventType(
        "mandate.revoked",
        "The mandate was revoked; its directory line closes.",
        "mandate",
        ("MandateLifecycleStatus.REVOKED",),
    ),
    EventType(
        "mandate.expired",
        "The mandate reached its end date; its directory line closes.",
        "mandate",
        ("MandateLifecycleStatus.EXPIRED",),
    ),
    EventType(
        "mandate.status_changed",
        "Any other step of a mandate (identity check pending or done…).",
        "mandate",
        ("MandateLifecycleStatus.PENDING_KYC", "MandateLifecycleStatus.KYC_COMPLETED"),
        catch_all_of=("MandateLifecycleStatus",),
    ),
    EventType(
        "directory_entry.registered",
        "A directory line of the client was accepted by the PPF (400).",
        "directory_entry",
        ("DirectoryEntryStatus.ACCEPTED",),
    ),
    EventType(
        "directory_entry.rejected",
        "A directory line of the client was refused by the PPF, or could not be changed there (401).",
        "directory_entry",
        ("DirectoryEntryStatus.REJECTED",),
    ),
    EventType(
        "directory_entry.closed",
        "A directory line of the client was closed at the PPF.",
        "directory_entry",
        ("DirectoryEntryStatus.CLOSED",),
    ),
    EventType(
        "reporting.accepted",
        "Tax data the platform passed on (an invoice's F1, e-reporting) was accepted by the PPF (250, 300) "
        "or by the administration.",
        "regulatory_data",
        (
            "RegulatoryDataStatus.DEPOSITED",
            "RegulatoryDataStatus.ACCEPTED_BY_ADMINISTRATION",
            "TransactionDataStatus.DEPOSITED",
            "TransactionDataStatus.ACCEPTED_BY_ADMINISTRATION",
        ),
    ),
    EventType(
        "reporting.rejected",
        "Tax data the platform passed on was rejected by the PPF (251, 301) or refused by the administration; "
        "`event.details` lists the findings.",
        "regulatory_data",
        (
            "RegulatoryDataStatus.REJECTED",
            "RegulatoryDataStatus.REFUSED_BY_ADMINISTRATION",
            "TransactionDataStatus.REJECTED",
            "TransactionDataStatus.REFUSED_BY_ADMINISTRATION",
        ),
    ),
    EventType(
        "reporting.status_changed",
        "Any other status of tax data: made available, or an e-reporting item recorded, replaced, withdrawn "
        "(`TransactionDataStatus.RECORDED`, `REPLACED`, `WITHDRAWN`, `NOT_REPORTED`).",
        "regulatory_data",
        ("RegulatoryDataStatus.MADE_AVAILABLE",),
        catch_all_of=("RegulatoryDataStatus", "TransactionDataStatus"),
    ),
    EventType(
        "reporting_period.sent",
        "A period's e-reporting report (F10: transactions or payments of one declarant and role) was sent to "
        "the PPF; `event.details.transmission` is its id, `type_code` IN (initial) or RE (corrective).",
        "period",
        ("ReportingPeriodStatus.SENT",),
    ),
    EventType(
        "reporting_period.accepted",
        "The PPF accepted a period's e-reporting report (300 Déposée).",
        "period",
        ("ReportingPeriodStatus.ACCEPTED",),
    ),
    EventType(
        "reporting_period.rejected",
        "A period's e-reporting report was rejected by the PPF (301 Rejetée), or found not valid and not sent: "
        "`rejection_reason` gives REJ_SEMAN, REJ_UNI, REJ_COH or REJ_PER and `event.details.findings` what to "
        "correct; once the data is corrected the report is sent again. Also e-mailed to the client's "
        "notification address.",
        "period",
        ("ReportingPeriodStatus.REJECTED",),
        catch_all_of=("ReportingPeriodStatus",),
        attention_mail="mail.reporting_rejected",
    ),
    EventType(
        "flow.status_changed",
        "A whole flow was found receivable (500) or unacceptable (501) by the PPF's exchange system.",
        "flow",
        ("FlowStatus.RECEIVABLE", "FlowStatus.UNACCEPTABLE"),
        catch_all_of=("FlowStatus",),
    ),
    EventType(
        "lifecycle_status.rejected",
        "A mandatory lifecycle status the platform passed on was rejected by the PPF (601); `rejection_reason` "
        "gives REJ_INC, REJ_INEX, REJ_RG, REJ_HAB or REJ_ENCAISSEMENT. Also e-mailed to the client's "
        "notification address.",
        "lifecycle_status",
        ("LifecycleStatusReporting.REJECTED",),
        attention_mail="mail.status_rejected",
    ),
    EventType(
        "webhook.disabled",
        "A webhook endpoint was disabled after its deliveries failed for about 3 days. Sent to the other "
        "endpoints, and e-mailed to the client's notification address.",
        "webhook",
        (WEBHOOK_DISABLED,),
        attention_mail="mail.webhook_disabled",
    ),
    EventType(
        TEST_TYPE,
        "A test message, sent by POST /api/webhooks/{webhook_id}/test to that endpoint only; `event` is null.",
        "webhook",
    ),
)

BY_NAME = {event_type.name: event_type for event_type in EVENT_TYPES}
_BY_STATUS = {code: event_type for event_type in EVENT_TYPES for code in event_type.status_codes}
# Every status code a type names, in the table's order.
NAMED_STATUS_CODES = tuple(_BY_STATUS)
# The types a lifecycle event can have (all but the test message), to subscribe to or look for.
EVENT_TYPE_NAMES = tuple(event_type.name for event_type in EVENT_TYPES if event_type.status_codes)
_BY_FAMILY = {family: event_type for event_type in EVENT_TYPES for family in event_type.catch_all_of}


def type_of(status_code: str) -> EventType:
    """The event type of a lifecycle status code."""
    found = _BY_STATUS.get(status_code) or _BY_FAMILY.get(status_code.partition(".")[0])
    if found is None:
        raise ValueError(f"no webhook event type for {status_code!r}: add it to EVENT_TYPES")
    return found


def event_document(event: LifecycleEvent) -> dict:
    """The event as the feed lists it and webhooks carry it."""
    return {
        "id": event.id,
        "event_type": type_of(event.status_code).name,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "client_id": event.client_id,
        "status_code": event.status_code,
        "timestamp": event.created_at.isoformat(),
        "emitter": event.emitter,
        "reason": event.reason,
        "rejection_reason": event.rejection_reason,
        "is_mandatory": event.is_mandatory,
        "details": event.details,
    }


def payload(event: LifecycleEvent) -> dict:
    """The body of the webhook of `event`: the same for every attempt (its id is the webhook-id)."""
    return _envelope(
        message_id=event.id,
        type_name=type_of(event.status_code).name,
        at=event.created_at,
        sponsor_id=event.sponsor_id,
        client_id=event.client_id,
        object_type=event.object_type,
        object_id=event.object_id,
        event=event_document(event),
    )


def test_payload(message_id: str, at: datetime, sponsor_id: str, client_id: str | None, endpoint_id: str) -> dict:
    return _envelope(
        message_id=message_id,
        type_name=TEST_TYPE,
        at=at,
        sponsor_id=sponsor_id,
        client_id=client_id,
        object_type="webhook",
        object_id=endpoint_id,
        event=None,
    )


def _envelope(
    *,
    message_id: str,
    type_name: str,
    at: datetime,
    sponsor_id: str,
    client_id: str | None,
    object_type: str,
    object_id: str,
    event: dict | None,
) -> dict:
    return {
        "id": message_id,
        "type": type_name,
        "timestamp": at.isoformat(),
        "sponsor_id": sponsor_id,
        "client_id": client_id,
        "object": {"type": object_type, "id": object_id},
        "event": event,
    }


_EXAMPLE_AT = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
_EXAMPLE_IDS = {
    "invoice": "inv_k5rgd3u2m4xq6nlv",
    "mandate": "mdt_a2c4e6g8j2l4n6p8",
    "directory_entry": "line_000000123",
    "regulatory_data": "inv_k5rgd3u2m4xq6nlv",
    "flow": "flw_2026090100001",
    "lifecycle_status": "inv_k5rgd3u2m4xq6nlv",
    "period": "rpd_m3k5p7r9t2v4x6z8",
    "webhook": "whk_q3vb7xk2m5yd4npa",
}


def example(event_type: EventType) -> dict:
    """A payload of this type, as a receiver would get it."""
    ids = {"sponsor_id": "spn_7hx2k4m6p8r2t4v6", "client_id": "cli_3xk5m7p9r3t5v7x9"}
    object_id = _EXAMPLE_IDS[event_type.object_type]
    if event_type.name == TEST_TYPE:
        return test_payload("msg_example00000000", _EXAMPLE_AT, endpoint_id=object_id, **ids)
    status_code = event_type.status_codes[0]
    event = LifecycleEvent(
        id="evt_example00000000",
        object_type=event_type.object_type,
        object_id=object_id,
        status_code=status_code,
        emitter="PDPE",
        reason=None,
        rejection_reason=None,
        is_mandatory=False,
        details={},
        created_at=_EXAMPLE_AT,
        **ids,
    )
    return payload(event)
