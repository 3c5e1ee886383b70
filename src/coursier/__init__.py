"""Coursier: an open-source Plateforme Agréée for French B2B e-invoicing."""

__version__ = "0.1.0"
