"""Who takes what the PPF answers: one registry for every domain (see `services.ppf_exchange`).

`FLOW_STATUS_HANDLERS`: interface code of the flow we sent → handler of its 500/501.
`MESSAGE_HANDLERS`: kind of a collected message (`ppf_exchange.KINDS`) → its handler.
"""

from coursier.formats.ppf import envelope
from coursier.services.invoicing import f1
from coursier.services.ppf_exchange import FlowStatusHandler, MessageHandler

FLOW_STATUS_HANDLERS: dict[str, FlowStatusHandler] = {
    envelope.F1_UBL: f1.record_flow_status,
    envelope.F1_CII: f1.record_flow_status,
}

MESSAGE_HANDLERS: dict[str, MessageHandler] = {}
