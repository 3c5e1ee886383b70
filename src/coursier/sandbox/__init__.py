"""The PPF sandbox: a stand-in for the French public e-invoicing platform, run as its own app.

The real PPF (national directory, company register, tax-data concentrator) cannot be reached from
development machines, so the sandbox plays it on its own ports and its own database. Coursier
reaches it as it would the real one: the directory through its published API (`coursier.network.ppf`,
PISTE tokens), flows over SFTP (`coursier.network.ppf_flows`, DG §3.4).

- `config`: what a sandbox process starts with (database, platforms and their tokens, PISTE
  clients, register, the lines' notice).
- `storage`: its own tables (never Coursier's), created at start.
- `register`: the company register (SIREN, SIRET), seeded deterministically or from a CSV.
- `annuaire`: the directory API as published (PPF-DIR 1.11.0, `published/`), mounted at
  `annuaire.api.BASE_PATH`: legal units, establishments, routing codes, historised lines with the
  annex 7 rules; `piste`: the token endpoint in front of it.
- `sftp` and `flows`: the exchange system (DG §3.4): an SFTP space per application code, the
  envelope checks, 500/501 answers, and a judge per interface code (`flows.JUDGES`) running the
  official artefacts (`conformance`: F1, F6 CDAR, F10); `exports`: the F14 directory exports.
- The sandbox's own extras, which the PPF does not offer, under `/sandbox/`: the company register,
  the mailbox, the outage switch (`routes.admin`), exports at once; and the network between
  platforms (`/peers`).
- `peers`: the network between platforms (PA to PA), store and forward: one inbox per platform,
  reached through `coursier.network.peers.sandbox`.
- `mailbox`: a development mailbox where Coursier drops the e-mails it would send.
- `home`: the home page, for people: the platforms, the companies to try, the way to the rest.
- `routes`: the HTTP endpoints; `app.create_sandbox_app` puts everything together.
"""
