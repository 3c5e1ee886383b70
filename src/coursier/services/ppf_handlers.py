"""Who takes what the PPF answers: one registry for every domain (see `services.ppf_exchange`).

`FLOW_STATUS_HANDLERS`: interface code of the flow we sent → handler of its 500/501.
`MESSAGE_HANDLERS`: kind of a collected message (`ppf_exchange.KINDS`) → its handler.
"""

from coursier.formats.ppf import envelope
from coursier.services import directory
from coursier.services.invoicing import f1, f6
from coursier.services.ppf_exchange import FlowStatusHandler, MessageHandler
from coursier.services.reporting import transmission

FLOW_STATUS_HANDLERS: dict[str, FlowStatusHandler] = {
    envelope.F1_UBL: f1.record_flow_status,
    envelope.F1_CII: f1.record_flow_status,
    envelope.F6_INVOICE: f6.record_flow_status,
    envelope.F10: transmission.record_flow_status,
}

MESSAGE_HANDLERS: dict[str, MessageHandler] = {
    "CDAR": f6.record_rejections,  # the PPF's 601 on the statuses we sent
    "F14": directory.apply_export,  # the directory exports (DG §3.5.4)
    "F10_STATUS": transmission.record_answers,
}
