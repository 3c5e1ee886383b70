"""EN 16931 semantic invoice model: business terms, identifiers, money and VAT arithmetic."""
