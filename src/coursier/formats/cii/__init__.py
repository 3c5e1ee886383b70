"""UN/CEFACT Cross Industry Invoice (CII D16B/D22B) binding of the EN 16931 model, with the
Factur-X profiles: `parse(xml) -> ParseResult`, `write(invoice, profile) -> WriteResult`."""

from .document import parse, write
from .profiles import PROFILES, Profile, profile_for_guideline

__all__ = ["PROFILES", "Profile", "parse", "profile_for_guideline", "write"]
