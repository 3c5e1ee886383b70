"""Formats Coursier sends to the PPF (the tax administration's platform) rather than to a buyer.

`f1`: the regulated invoice data of a domestic B2B invoice (flow 1).
"""
