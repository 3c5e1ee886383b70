"""Coursier's connections to the outside world: `ppf`, the PPF (directory, register, flows)."""
