"""F1 flows deposited over SFTP (DG §3.4): the sandbox checks the envelope, then judges the F1
files as the PPF would; what `build_f1` makes is receivable (500), a flow breaking a rule is
irrecevable (501) with the rule's id, as `check_f1` finds it."""

from pathlib import Path

import pytest
from lxml import etree

from coursier.formats import cii
from coursier.formats.cii.syntax import NAMESPACES
from coursier.formats.ppf import envelope
from coursier.formats.ppf.f1 import build_f1
from coursier.model import Invoice
from coursier.validation.f1.check import check_f1

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "invoices"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))


def fixture_invoice(name: str) -> Invoice:
    return Invoice.model_validate_json((FIXTURES / f"{name}.json").read_text())


def one_answer(result, code: int):
    deposited, [answer] = result
    assert deposited and answer.code == code, answer
    return answer


def test_every_built_f1_is_receivable_in_one_flow(exchange_flow, sandbox_server):
    documents = [
        build_f1(fixture_invoice(name), profile=profile, issuer_platform_id="0099")
        for name in FIXTURE_NAMES
        for profile in ("base", "full")
    ]
    name = exchange_flow.new_name()
    answer = one_answer(exchange_flow([(d.filename, d.xml) for d in documents], name=name), 500)
    assert answer.flow_id == envelope.parse_name(name).flow_id and answer.reasons == ()


def test_an_f1_breaking_a_rule_makes_the_flow_irrecevable_with_the_reason(exchange_flow):
    document = build_f1(fixture_invoice("fr-b2b-invoice"), issuer_platform_id="0099")
    root = etree.fromstring(document.xml)
    root.xpath("//ram:ApplicableTradeTax/ram:RateApplicablePercent", namespaces=NAMESPACES)[0].text = "19"
    answer = one_answer(exchange_flow([(document.filename, etree.tostring(root))]), 501)
    [(code, text)] = answer.reasons
    assert code == "G1.24" and text.startswith(document.filename) and "19" in text
    assert text.endswith("/ram:RateApplicablePercent)")


def test_a_file_name_without_profile_is_irrecevable(exchange_flow):
    document = build_f1(fixture_invoice("fr-b2b-invoice"), issuer_platform_id="0099")
    answer = one_answer(exchange_flow([(document.filename.removeprefix("Base_"), document.xml)]), 501)
    assert [(code, "S1.06:" in text) for code, text in answer.reasons] == [("IRR_NOM_F", True)]


@pytest.mark.parametrize(
    ("rename", "reason"),
    [
        (lambda name: name.replace("_CRS099_", "_CRS099X_"), "IRR_FORM"),  # the flow id is cut
        (lambda name: name.replace("_CRS099_", "_CRS042_"), "IRR_CODE_APP"),  # another partner's code
        (lambda name: name.removesuffix(".tar.gz") + ".zip", "IRR_TYPE"),
        (lambda name: name.replace("FFE0112A", "FFE1235A"), "IRR_CODE_INTER"),  # F13: not taken here
    ],
)
def test_a_misnamed_flow_is_irrecevable(exchange_flow, rename, reason):
    document = build_f1(fixture_invoice("fr-b2b-invoice"), issuer_platform_id="0099")
    answer = one_answer(exchange_flow([(document.filename, document.xml)], name=rename(exchange_flow.new_name())), 501)
    assert [code for code, _ in answer.reasons] == [reason]


def test_a_flow_that_is_no_archive_or_holds_bad_files_is_irrecevable(exchange_flow):
    assert one_answer(exchange_flow(content=b"not a tar.gz"), 501).reasons[0][0] == "IRR_EXTRAC"
    latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>'.encode("latin-1")
    answer = one_answer(exchange_flow([("Base_a.xml", latin1), ("Base_b.xml", b" "), ("c.pdf", b"%PDF")]), 501)
    assert [code for code, _ in answer.reasons] == ["IRR_SYNTAX", "IRR_VIDE_F", "IRR_TYPE_F"]


def test_a_file_over_100_mb_is_irrecevable(exchange_flow):
    # Zeros pack small: the size is the file's, read from the archive's header (DG §3.4.2 note 67).
    answer = one_answer(exchange_flow([("Base_big.xml", b"\0" * (envelope.MAX_FILE_BYTES + 1))]), 501)
    assert [code for code, _ in answer.reasons] == ["IRR_TAILLE_F"]


def test_a_flow_id_is_taken_once(exchange_flow):
    document = build_f1(fixture_invoice("fr-b2b-invoice"), issuer_platform_id="0099")
    name = exchange_flow.new_name()
    one_answer(exchange_flow([(document.filename, document.xml)], name=name), 500)
    # Deposited again (after a crash, say): refused as already held, and not answered twice.
    assert exchange_flow([(document.filename, document.xml)], name=name) == (False, [])


@pytest.mark.corpus
def test_the_sandbox_and_check_f1_agree_on_a_foreign_sample(exchange_flow, shared_dir):
    invoice = cii.parse((shared_dir / "samples" / "cii" / "CII_example1.xml").read_bytes()).invoice
    document = build_f1(invoice, profile="full", issuer_platform_id="0099")
    answer = one_answer(exchange_flow([(document.filename, document.xml)]), 501)
    fatal = [finding for finding in check_f1(document.xml, document.filename) if finding.severity == "fatal"]
    expected = [
        (f.rule, f"{document.filename}: {f.message}" + (f" ({f.location})" if f.location else "")) for f in fatal
    ]
    assert expected and list(answer.reasons) == expected
