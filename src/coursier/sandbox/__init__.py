"""The PPF sandbox: a stand-in for the French public e-invoicing platform, run as its own app.

The real PPF (national directory, company register, tax-data concentrator) cannot be reached from
development machines, so the sandbox plays it on its own port and its own database. Coursier
reaches it only over HTTP, through `coursier.network.ppf`, exactly as it would reach the real one.

- `config`: what a sandbox process starts with (database, platforms and their tokens, register).
- `storage`: its own tables (never Coursier's), created at start.
- `register`: the company register (SIREN, SIRET), seeded deterministically or from a CSV.
- `directory`: the directory (annuaire): historised addressing lines, lookup, routing codes.
- `conformance` and `flows`: flow intake (F1, F6 CDAR, F10) judged by the official artefacts.
- `peers`: the network between platforms (PA to PA), store and forward: one inbox per platform,
  reached through `coursier.network.peers.sandbox`.
- `mailbox`: a development mailbox where Coursier drops the e-mails it would send.
- `home`: the home page, for people: the platforms, the companies to try, the way to the rest.
- `routes`: the HTTP endpoints; `app.create_sandbox_app` puts everything together.
"""
