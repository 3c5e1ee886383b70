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
    vat_identifier_problem,
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


def test_vat_identifier_problem_names_the_right_french_key():
    assert french_vat_number("100000173") == "FR95100000173"
    assert vat_identifier_problem("FR95100000173") is None
    assert vat_identifier_problem("FR 95 100 000 173") is None
    problem = vat_identifier_problem("FR12100000173")
    assert "FR95100000173" in problem and "key" in problem
    assert "SIREN" in vat_identifier_problem("FR12100000174")  # the SIREN itself is wrong
    assert vat_identifier_problem("FR1210000017") is not None  # too short


def test_vat_identifier_problem_checks_eu_numbers_and_leaves_others_alone():
    assert vat_identifier_problem("DE136695976") is None
    assert vat_identifier_problem("DE136695977") is not None
    assert vat_identifier_problem("EL094259216") is None
    assert vat_identifier_problem("CHE-123.456.788 MWST") is None  # Swiss: not checked here
    assert vat_identifier_problem("GB123456789") is None
