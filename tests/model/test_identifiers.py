from coursier.model.identifiers import (
    SCHEME_FR_ELECTRONIC_ADDRESS,
    SCHEME_SIREN,
    SCHEME_SIRET,
    check_scheme_value,
    french_vat_number,
    siren_of,
    valid_iban,
    valid_siren,
    valid_siret,
    valid_vat_number,
)


def test_siren_and_siret_keys():
    assert valid_siren("732 829 320") == "732829320"
    assert valid_siren("732829321") is None
    assert valid_siret("73282932000074") == "73282932000074"
    assert valid_siret("73282932000075") is None


def test_vat_and_iban():
    assert valid_vat_number("FR 44 732829320") == "FR44732829320"
    assert valid_vat_number("FR45732829320") is None
    assert valid_iban("FR76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    assert valid_iban("FR7630006000011234567890180") is None


def test_siren_is_found_in_siret_and_vat_number():
    assert siren_of("73282932000074") == "732829320"
    assert siren_of("FR44732829320") == "732829320"
    assert french_vat_number("732829320") == "FR44732829320"


def test_scheme_checks():
    assert check_scheme_value(SCHEME_SIREN, "732829320") is None
    assert "SIREN" in check_scheme_value(SCHEME_SIREN, "123456789")
    assert "SIRET" in check_scheme_value(SCHEME_SIRET, "732829320")
    assert check_scheme_value(SCHEME_FR_ELECTRONIC_ADDRESS, "732829320_FACT") is None
    assert check_scheme_value("0088", "anything") is None
