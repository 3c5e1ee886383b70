"""Envelope names, flow ids, packing and the technical checks of a flow (DG §3.4.2, §3.4.5)."""

import io
import tarfile
from datetime import UTC, datetime

import pytest

from coursier.formats.ppf import envelope, flow_status
from coursier.formats.ppf.envelope import Envelope, EnvelopeError, Limits


def test_the_dg_example_name_reads_back():
    # DG §3.4.5: an F1 in UBL from AAA123.
    parsed = envelope.parse_name("FFE0111A_AAA123_AAA1230111000000000000001.tar.gz")
    assert parsed == Envelope("FFE0111A", "AAA123", "AAA1230111000000000000001")
    assert envelope.flow_id("AAA123", "FFE0111A", 1) == "AAA1230111000000000000001"
    assert envelope.answer_interface("FFE0112A") == "CFE0112A"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("FFE0111A_AAA123_AAA123.tar.gz", "IRR_FORM"),
        ("FFE0111A_AAA12_AAA1230111000000000000001.tar.gz", "IRR_FORM"),
        ("FFE0111A_AAA123_AAA1230111000000000000001.zip", "IRR_TYPE"),
    ],
)
def test_a_name_breaking_the_rule_is_refused_with_its_reason(name, reason):
    with pytest.raises(EnvelopeError) as refused:
        envelope.parse_name(name)
    assert refused.value.reason == reason


def test_packing_is_deterministic_and_reads_back():
    files = [("Base_1.xml", b"<a/>"), ("Base_2.xml", b"<b/>")]
    packed = envelope.pack(files)
    assert packed == envelope.pack(files)
    assert envelope.unpack(Envelope("FFE0112A", "AAA123", "AAA1230112000000000000001"), packed) == files
    with pytest.raises(ValueError):
        envelope.pack([("a.xml", b"1"), ("a.xml", b"2")])


def test_limits_are_read_from_the_headers():
    name = Envelope("FFE0112A", "AAA123", "AAA1230112000000000000001")
    packed = envelope.pack([("Base_1.xml", b"<a>" + b" " * 100 + b"</a>")])
    with pytest.raises(EnvelopeError) as too_big:
        envelope.unpack(name, packed, Limits(flow_bytes=10**6, file_bytes=50))
    assert too_big.value.reason == "IRR_TAILLE_F"
    with pytest.raises(EnvelopeError) as flow_too_big:
        envelope.unpack(name, packed, Limits(flow_bytes=10, file_bytes=10**6))
    assert flow_too_big.value.reason == "IRR_TAILLE"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        directory = tarfile.TarInfo("folder")
        directory.type = tarfile.DIRTYPE
        archive.addfile(directory)
    with pytest.raises(EnvelopeError) as not_a_file:
        envelope.unpack(name, buffer.getvalue())
    assert not_a_file.value.reason == "IRR_TYPE_F"


def test_a_flow_status_reads_back():
    message = flow_status.FlowStatusMessage(
        message_id="m1",
        flow_id="AAA1230112000000000000001",
        code=501,
        received_at=datetime(2026, 9, 1, 8, 30, tzinfo=UTC),
        recipient_matricule="0042",
        reasons=(("IRR_NOM_F", "x.xml: no profile"),),
    )
    assert flow_status.parse(flow_status.write(message)) == message
    with pytest.raises(flow_status.FlowStatusError):
        flow_status.parse(b"<a/>")
