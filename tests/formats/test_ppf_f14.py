"""F14, the directory exports: written by the sandbox, read by Coursier, the same lines both ways."""

from datetime import UTC, date, datetime

import pytest

from coursier.formats.ppf import f14

UNTIL = datetime(2026, 9, 2, 0, 0, tzinfo=UTC)
LINE = f14.ExportedLine(
    instance_id=12,
    nature=f14.DEFINITION,
    address="100000009_10000000900025_ACHATS",
    siren="100000009",
    siret="10000000900025",
    routing_code="ACHATS",
    suffix=None,
    platform_id="0042",
    effective_from=date(2026, 9, 2),
    effective_to=date(2027, 1, 1),
    defined_at=datetime(2026, 9, 1, 14, 3, 5, tzinfo=UTC),
)
MASKED = f14.ExportedLine(
    instance_id=13,
    nature=f14.MASKING,
    address="200000008_ACHATS.2026",
    siren="200000008",
    siret=None,
    routing_code=None,
    suffix="ACHATS.2026",
    platform_id="0099",
    effective_from=date(2026, 9, 3),
    effective_to=None,
    defined_at=datetime(2026, 9, 1, 15, 0, 0, tzinfo=UTC),
)


def test_an_export_reads_back_as_written():
    export = f14.Export(f14.DIFFERENTIAL, datetime(2026, 9, 1, tzinfo=UTC), UNTIL, (LINE, MASKED))
    [(name, content)] = f14.files(export)
    assert name == "ANNUAIRE_DIFFERENTIEL_20260902000000_1.xml"
    assert f14.parse(content) == export
    assert b"<dateDebutEffet>20260902</dateDebutEffet>" in content  # annex 7 G1.09: AAAAMMJJ
    assert content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_a_large_export_is_split_into_files_and_an_empty_one_still_has_one(monkeypatch):
    monkeypatch.setattr(f14, "LINES_PER_FILE", 1)
    files = f14.files(f14.Export(f14.FULL, None, UNTIL, (LINE, MASKED)))
    assert [name for name, _ in files] == [
        "ANNUAIRE_COMPLET_20260902000000_1.xml",
        "ANNUAIRE_COMPLET_20260902000000_2.xml",
    ]
    assert [f14.parse(content).lines for _, content in files] == [(LINE,), (MASKED,)]
    [(_, empty)] = f14.files(f14.Export(f14.DIFFERENTIAL, UNTIL, UNTIL, ()))
    assert f14.parse(empty).lines == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<Invoice/>", "not a directory export"),
        (b"<oops", "unreadable XML"),
        (
            f'<ExportAnnuaire xmlns="{f14.NAMESPACE}" type="HEBDO" jusqua="20260902000000"/>'.encode(),
            "unknown export type",
        ),
        (
            f'<ExportAnnuaire xmlns="{f14.NAMESPACE}" type="COMPLET" jusqua="20260902000000"><LigneAnnuaire>'
            "<idInstance>1</idInstance><nature>X</nature></LigneAnnuaire></ExportAnnuaire>".encode(),
            "unknown nature",
        ),
        (
            f'<ExportAnnuaire xmlns="{f14.NAMESPACE}" type="COMPLET" jusqua="2026"/>'.encode(),
            "cannot be read",
        ),
    ],
)
def test_what_is_not_an_export_is_refused(content, message):
    with pytest.raises(f14.F14Error, match=message):
        f14.parse(content)
