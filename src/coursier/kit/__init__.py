"""What every layer of Coursier shares; imports nothing else of Coursier.

`errors` (service errors with stable codes), `tenancy` (who is calling), `xml` (hardened parsing
and size limits), `clock` (UTC now, today in Paris), `defer` (enqueue a job by task name in the
caller's transaction), `embedded` (the private PostgreSQL of a data dir), `texts` (the languages and
the one catalogue of the texts people read), `render` (templates to HTML, HTML to PDF), `cpu` (the
worker processes CPU-heavy work runs in), `memory` (freed memory given back to the system).
"""
