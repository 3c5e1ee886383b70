"""Validation of invoices: hardened parsing, XSD, official schematron, reports."""
