"""Drafts: invoices written in the JSON invoice model, checked at every change, then finalized.

- `editing`: creating, replacing, deleting and reading drafts while they are drafts;
- `finalizing`: numbering, freezing and producing the invoice, and sending it (a deposit);
- `report`: what is wrong or missing in a draft, where, and the amounts it will carry;
- `recipient`: whether the directory knows its buyer (a warning that blocks sending);
- `numbering`: the client's numbering patterns (`F{YYYY}-{SEQ:6}`).
"""
