"""The PPF sandbox: a stand-in for the French public e-invoicing platform, run as its own app.

The real PPF (national directory, company register, tax-data concentrator) cannot be reached from
development machines, so the sandbox plays it on its own ports and its own database. Coursier
reaches it as it would the real one: the directory over HTTP (`coursier.network.ppf`), flows over
SFTP (`coursier.network.ppf_flows`, DG §3.4).

- `config`: what a sandbox process starts with (database, platforms and their tokens, register).
- `storage`: its own tables (never Coursier's), created at start.
- `register`: the company register (SIREN, SIRET), seeded deterministically or from a CSV.
- `directory`: the directory (annuaire): historised addressing lines, lookup, routing codes.
- `sftp` and `flows`: the exchange system (DG §3.4): an SFTP space per application code, the
  envelope checks, 500/501 answers, and a judge per interface code (`flows.JUDGES`) running the
  official artefacts (`conformance`: F1, F6 CDAR, F10).
- The sandbox's own extras, which the PPF does not offer: the company register, the mailbox, the
  outage switch (`routes.admin`), the network between platforms.
- `peers`: the network between platforms (PA to PA), store and forward: one inbox per platform,
  reached through `coursier.network.peers.sandbox`.
- `mailbox`: a development mailbox where Coursier drops the e-mails it would send.
- `home`: the home page, for people: the platforms, the companies to try, the way to the rest.
- `routes`: the HTTP endpoints; `app.create_sandbox_app` puts everything together.
"""
