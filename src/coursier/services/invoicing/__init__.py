"""Invoicing: invoices sent and received, from the deposit of a file to its delivery and its F1.

- `deposit`: the upload use case (the checks, the kept file and row, routing deferred);
- `checks`: the deposit checks, in the order a receiving platform meets the problems;
- `parties`: who the seller and the buyer are for the platform (SIREN, directory entry);
- `statuses`: status changes and their lifecycle events, and how the API names statuses;
- `routing`: delivery here or at another platform (the `invoicing.route` job);
- `f1`: the regulated data sent to the PPF (the `invoicing.report_f1` job);
- `reading`: listing invoices and reading one with its history;
- `downloads`: an invoice in the format asked for.
"""
