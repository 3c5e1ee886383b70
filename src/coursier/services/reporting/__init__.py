"""E-reporting (flow 10): what clients report, on their VAT regime's calendar, sent to the PPF.

- `declarants`: who declares (the client's SIREN under an active mandate) and its regime settings;
- `periods`: the periods of each declarant, role and kind of data, their states, the preview;
- `checks`: what every figure passes before it is stored (dates, rates, amounts: annex 7);
- `items`: recording an item in its period, a new version superseding the previous one, events;
- `invoices`: international invoices (10.1): the exempt ones a client reports, and the ones this
  platform exchanges with a counterparty abroad (fed from `invoicing.routing`);
- `b2c`: daily B2C totals (10.3);
- `payments`: payments received (10.2 per invoice, 10.4 per day), `record_payment`;
- `aggregation`: the items of a period as the body of its report (pure);
- `transmission`: when a report is due, building and checking it, sending it, the PPF's 300/301.
"""
