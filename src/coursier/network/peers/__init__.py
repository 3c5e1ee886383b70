"""Delivering invoices (and lifecycle messages) to other platforms (PA to PA).

`transport` is the interface every way of delivering meets (`PeerTransport`, its receipts and
typed failures); `sandbox` is the sandbox's store-and-forward network; `as4` is Peppol AS4, with
`peppol` (identifiers, envelope), `smp` (SML and SMP look-up, publishing) and `pki` (certificates).
"""
