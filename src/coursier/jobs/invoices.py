"""Routing sent invoices: delivery on this platform or to another PA, and the F1 flow to the PPF."""
