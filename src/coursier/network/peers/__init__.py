"""Delivering invoices to other platforms (PA to PA).

`transport` is the interface every way of delivering meets (`PeerTransport`, its receipts and
typed failures); `sandbox` is the sandbox's store-and-forward network, the one transport there is
until the Peppol AS4 one joins it here.
"""
