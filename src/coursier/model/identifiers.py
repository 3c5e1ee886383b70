"""Identifier schemes and check-digit validation (SIREN, SIRET, VAT, IBAN) through python-stdnum.

Scheme ids are ISO 6523 ICD codes, as maintained for EN 16931 BT-29-1/BT-30-1/BT-46-1/... and
for electronic addresses (EAS list, BT-34-1/BT-49-1).
"""

from __future__ import annotations

from stdnum import iban as _iban
from stdnum.eu import vat as _eu_vat
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siren as _siren
from stdnum.fr import siret as _siret
from stdnum.fr import tva as _fr_vat

SCHEME_SIREN = "0002"  # INSEE SIRENE: 9-digit company number
SCHEME_SIRET = "0009"  # INSEE SIRENE: 14-digit establishment number (SIREN + NIC)
SCHEME_GLN = "0088"  # GS1 Global Location Number
SCHEME_FR_ROUTING_CODE = "0224"  # French directory routing code ("code routage")
SCHEME_FR_ELECTRONIC_ADDRESS = "0225"  # French directory electronic address (SIREN[_suffix])
SCHEME_FR_SINGLE_VAT_GROUP = "0231"  # French single VAT group ("assujetti unique", DGFiP annex 7 S1.14)
SCHEME_FR_PA_MATRICULE = "0238"  # registration number of a Plateforme Agréée

# Names for messages and for the directory: scheme id -> what it identifies.
SCHEME_NAMES: dict[str, str] = {
    SCHEME_SIREN: "SIREN",
    SCHEME_SIRET: "SIRET",
    SCHEME_GLN: "GLN",
    SCHEME_FR_ROUTING_CODE: "French routing code",
    SCHEME_FR_ELECTRONIC_ADDRESS: "French electronic address",
    SCHEME_FR_PA_MATRICULE: "PA registration number",
}


def _check(module, value: str) -> str | None:
    """The compact form of a valid number, or None."""
    try:
        return module.validate(value)
    except ValidationError:
        return None


def valid_siren(value: str) -> str | None:
    """The 9-digit SIREN if `value` is one with a correct Luhn key, else None."""
    return _check(_siren, value)


def valid_siret(value: str) -> str | None:
    """The 14-digit SIRET if `value` is one with a correct key, else None."""
    return _check(_siret, value)


def valid_vat_number(value: str) -> str | None:
    """The compact EU VAT number (`FR44732829320`) if its country format and key hold, else None."""
    return _check(_eu_vat, value)


def valid_iban(value: str) -> str | None:
    """The compact IBAN if its country length and mod-97 key hold, else None."""
    return _check(_iban, value)


def siren_of(value: str) -> str | None:
    """The SIREN carried by a SIREN, a SIRET or a French VAT number (FRkk + SIREN)."""
    compact = value.replace(" ", "").upper()
    if compact.startswith("FR") and valid_vat_number(compact):
        return valid_siren(compact[4:])
    if len(compact) == 14:
        siret = valid_siret(compact)
        return siret[:9] if siret else None
    return valid_siren(compact)


def french_vat_number(siren: str) -> str | None:
    """The intra-community VAT number France derives from a SIREN."""
    compact = valid_siren(siren)
    if compact is None:
        return None
    key = int(compact + "12") % 97  # the key stdnum.fr.tva checks
    return f"FR{key:02d}{compact}"


def vat_identifier_problem(value: str) -> str | None:
    """Why `value` is not a valid VAT identifier (BT-31, BT-48, BT-63), or None.

    A French number is checked by `stdnum.fr.tva` (FR + 2-character key + SIREN) and a wrong key is
    told with the right one; other EU numbers by their country's rules. Numbers of other countries
    (CH, GB, NO...) are not checked: None. EN 16931 checks only the country prefix, so a wrong key
    passes every official rule; callers show this as a warning.
    """
    compact = value.replace(" ", "").upper()
    if compact.startswith("FR"):
        siren = compact[4:]
        try:
            _fr_vat.validate(compact)
        except ValidationError as exc:
            expected = french_vat_number(siren)
            if isinstance(exc, InvalidChecksum) and expected is not None:
                return f"{value!r} is not a French VAT number: the key of SIREN {siren} gives {expected}"
            return f"{value!r} is not a French VAT number (FR, a 2-character key, then a valid SIREN)"
        return None
    # Greece writes EL in VAT numbers where ISO 3166 has GR.
    if compact[:2].lower() not in {*_eu_vat.MEMBER_STATES, "el"} or valid_vat_number(compact):
        return None
    return f"{value!r} is not a valid {compact[:2]} VAT number (format or check digits)"


def check_scheme_value(scheme_id: str | None, value: str) -> str | None:
    """A message if `value` is not a valid identifier of `scheme_id`, None if it is (or the scheme is unchecked)."""
    if scheme_id == SCHEME_SIREN and valid_siren(value) is None:
        return f"{value!r} is not a valid SIREN (9 digits, Luhn key)"
    if scheme_id == SCHEME_SIRET and valid_siret(value) is None:
        return f"{value!r} is not a valid SIRET (14 digits, Luhn key)"
    if scheme_id == SCHEME_FR_ELECTRONIC_ADDRESS and siren_of(value.split("_", 1)[0]) is None:
        return f"{value!r} is not a French electronic address (it starts with a SIREN or SIRET)"
    return None
