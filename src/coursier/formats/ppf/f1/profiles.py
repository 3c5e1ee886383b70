"""The two F1 profiles, and how a file declares its own: by the prefix of its name, `Base_` or
`Full_`, case-sensitive (annex 7 rule S1.06; DGFiP "dossier général" §3.4.4)."""

BASE, FULL = "base", "full"
PROFILES = (BASE, FULL)
FILE_PREFIXES = {BASE: "Base_", FULL: "Full_"}  # A7 S1.06


def profile_of(filename: str) -> str | None:
    """The profile a file name declares, or None."""
    return next((profile for profile, prefix in FILE_PREFIXES.items() if filename.startswith(prefix)), None)
