"""validate(engine=...): the native restatement where it is proven, the official artefacts elsewhere."""

from coursier.validation import Engine, validate


def _engines(report) -> dict[str, str]:
    return {run.artefact.key: run.engine for run in report.artefacts}


def test_native_by_default_for_proven_artefacts_official_for_the_others(variant):
    french = variant("valid-cii.xml", ("<ram:CountryID>BE</ram:CountryID>", "<ram:CountryID>FR</ram:CountryID>"))
    report = validate(french, rules=["all"])
    assert _engines(report) == {
        "cii-xsd": "official",
        "cen-en16931-cii": "native",
        "facturx-en16931": "native",
        "br-fr-flux2-cii": "native",
    }


def test_official_engine_runs_every_artefact_with_saxon(fixtures_dir):
    report = validate(fixtures_dir / "valid-cii.xml", engine=Engine.OFFICIAL)
    assert set(_engines(report).values()) == {"official"}


def test_both_engines_give_the_same_report(variant):
    broken = variant(
        "valid-cii.xml",
        ("<ram:LineTotalAmount>100.00</ram:LineTotalAmount>", "<ram:LineTotalAmount>100.005</ram:LineTotalAmount>"),
        ("<ram:CountryID>BE</ram:CountryID>", "<ram:CountryID>XX</ram:CountryID>"),
    )
    native = validate(broken).to_dict()
    official = validate(broken, engine="official").to_dict()
    assert native["errors"] and native["errors"] == official["errors"]
    assert native["warnings"] == official["warnings"]
    for run in native["artefacts"] + official["artefacts"]:
        run.pop("engine")
    assert native == official


def test_a_french_ubl_invoice_runs_no_saxon_at_all(monkeypatch, fixtures_dir):
    def no_saxon(xml):
        raise AssertionError("Saxon was asked to load the document")

    monkeypatch.setattr("coursier.validation.engine.load_document", no_saxon)
    french_ubl = fixtures_dir.parent.parent / "formats" / "golden" / "fr-b2b-invoice.ubl.xml"
    report = validate(french_ubl.read_bytes(), rules=["all"])
    assert _engines(report) == {
        "ubl-invoice-xsd": "official",
        "cen-en16931-ubl": "native",
        "br-fr-flux2-ubl": "native",
    }
    assert report.valid
