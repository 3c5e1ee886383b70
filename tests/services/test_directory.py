"""The PPF's F14 exports, collected from its SFTP space, kept in a copy of the directory that answers
lookups when the directory API cannot be reached."""

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coursier.db.directory import DirectoryCacheRepository, DirectoryLineCopy
from coursier.formats.ppf import envelope, f14
from coursier.kit import clock
from coursier.kit.errors import Unavailable
from coursier.network.ppf import PPFUnavailable
from coursier.services import directory, ppf_exchange, ppf_handlers

TODAY = clock.today()
SIREN, SITE = "100000009", "10000000900025"
_sequence = iter(range(1, 10**6))


def exported(
    address: str, *, instance: int, defined_minutes: int, platform: str = "0042", **fields
) -> f14.ExportedLine:
    siren, _, rest = address.partition("_")
    return f14.ExportedLine(
        instance_id=instance,
        nature=fields.pop("nature", f14.DEFINITION),
        address=address,
        siren=siren,
        siret=rest if len(rest) == 14 else None,
        routing_code=None,
        suffix=rest if rest and len(rest) != 14 else None,
        platform_id=platform,
        effective_from=fields.pop("effective_from", TODAY - timedelta(days=3)),
        effective_to=fields.pop("effective_to", None),
        defined_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=defined_minutes),
    )


def message(*lines: f14.ExportedLine, kind: str = f14.DIFFERENTIAL, until: datetime | None = None):
    export = f14.Export(kind, None, until or datetime(2026, 1, 2, tzinfo=UTC), lines)
    name = envelope.Envelope(envelope.F14, "CRS042", envelope.flow_id("PPF001", envelope.F14, next(_sequence))).name
    return ppf_exchange.CollectedMessage(name, envelope.F14, name[18:43], "F14", b"", f14.files(export))


def copies(session) -> dict[str, tuple]:
    """The copy's lines of this module's SIREN (live tests of the worker may have committed others)."""
    rows = session.scalars(
        select(DirectoryLineCopy).where(DirectoryLineCopy.address.startswith(SIREN)).order_by(DirectoryLineCopy.address)
    )
    return {row.address: (row.instance_id, row.platform_id, row.masked) for row in rows}


@dataclass
class DownPPF:
    def lookup(self, **query):
        raise PPFUnavailable("down", code="unreachable")


def lookup(session, **query) -> dict | None:
    return directory.lookup(session, DownPPF(), directory.LookupQuery(**query), ttl=timedelta(seconds=60))


def test_the_latest_instance_of_each_line_stays_whatever_the_order_exports_come_in(session):
    later = exported(SIREN, instance=8, defined_minutes=20, platform="0099")
    earlier = exported(SIREN, instance=5, defined_minutes=10)
    directory.apply_export(session, message(later))
    directory.apply_export(session, message(earlier))
    assert copies(session) == {SIREN: (8, "0099", False)}


def test_a_full_export_drops_the_lines_it_leaves_out_but_not_those_changed_after_it(session):
    gone = exported(f"{SIREN}_OLD", instance=1, defined_minutes=1)
    newer = exported(f"{SIREN}_NEW", instance=9, defined_minutes=60 * 30)  # after the full export's instant
    kept = exported(SIREN, instance=2, defined_minutes=2)
    directory.apply_export(session, message(gone, newer))
    directory.apply_export(session, message(kept, kind=f14.FULL, until=datetime(2026, 1, 2, tzinfo=UTC)))
    assert set(copies(session)) == {SIREN, f"{SIREN}_NEW"}


def test_a_lookup_answers_from_the_exports_when_the_api_cannot_be_reached(session):
    directory.apply_export(
        session,
        message(
            exported(SIREN, instance=1, defined_minutes=1, platform="0099"),
            exported(f"{SIREN}_{SITE}", instance=2, defined_minutes=2),
            exported(f"{SIREN}_ACHATS", instance=3, defined_minutes=3, nature=f14.MASKING),
            exported(f"{SIREN}_LATER", instance=4, defined_minutes=4, effective_from=TODAY + timedelta(days=1)),
        ),
    )
    by_site = lookup(session, siren=SIREN, siret=SITE)
    assert (by_site["platform_id"], by_site["siret"], by_site["name"], by_site["addressable"]) == (
        "0042",
        SITE,
        None,
        True,
    )
    assert lookup(session, siren=SIREN)["platform_id"] == "0099"
    assert lookup(session, siren=SIREN, suffix="ACHATS")["platform_id"] == "0099"  # masked: the SIREN line routes
    assert lookup(session, electronic_address=f"0225:{SIREN}_LATER")["platform_id"] == "0099"  # not yet in force
    with pytest.raises(Unavailable) as unknown:
        lookup(session, siren="200000008")  # nothing exported: the copy cannot say "nobody"
    assert (unknown.value.status, unknown.value.code) == (503, "ppf_unavailable")


def test_an_export_forgets_what_was_cached_about_its_sirens(session):
    cache = DirectoryCacheRepository(session)
    cache.put("lookup:a", SIREN, {"platform_id": "0099"}, clock.now() + timedelta(minutes=5))
    cache.put("lookup:b", "200000008", {"platform_id": "0099"}, clock.now() + timedelta(minutes=5))
    directory.apply_export(session, message(exported(SIREN, instance=1, defined_minutes=1)))
    assert cache.fresh("lookup:a", clock.now()) is None and cache.fresh("lookup:b", clock.now()) is not None


def test_an_export_collected_from_the_exchange_reaches_the_copy_and_an_unreadable_one_is_left(session, caplog):
    collected = message(exported(SIREN, instance=1, defined_minutes=1))
    content = envelope.pack(collected.files)
    kind = ppf_exchange.collect(
        session,
        collected.name,
        content,
        flow_status_handlers=ppf_handlers.FLOW_STATUS_HANDLERS,
        message_handlers=ppf_handlers.MESSAGE_HANDLERS,
    )
    assert kind == "F14" and copies(session) == {SIREN: (1, "0042", False)}
    unreadable = message()
    directory.apply_export(
        session, ppf_exchange.CollectedMessage(unreadable.name, envelope.F14, "x", "F14", b"", [("a.xml", b"<x/>")])
    )
    assert "cannot be read" in caplog.text and copies(session) == {SIREN: (1, "0042", False)}


# ---- taking a line out of force ----


class LinesAtThePPF:
    """The PPF's lines of one SIREN, and what was asked of them."""

    def __init__(self, *lines) -> None:
        self.lines = {line.line_id: line for line in lines}
        self.asked: list[tuple] = []

    def get_line(self, line_id: str):
        return self.lines[line_id]

    def search_lines(self, **parts):
        return [line for line in self.lines.values() if not line.masked]

    def mask_line(self, line_id: str) -> None:
        self.asked.append(("mask", line_id))

    def close_line(self, line_id: str, effective_to):
        self.asked.append(("close", line_id, effective_to))
        return dataclasses.replace(self.lines[line_id], instance_id=99, effective_to=effective_to)


def line(instance: int, start_offset: int, end_offset: int | None = None, **fields):
    return dataclasses.replace(
        directory._copied_line(
            DirectoryLineCopy(
                address=SIREN,
                effective_from=TODAY + timedelta(days=start_offset),
                instance_id=instance,
                siren=SIREN,
                platform_id="0042",
                effective_to=None if end_offset is None else TODAY + timedelta(days=end_offset),
                masked=False,
                defined_at=clock.now(),
            )
        ),
        **fields,
    )


TOMORROW = TODAY + timedelta(days=1)


@pytest.mark.parametrize(
    ("existing", "wanted", "asked", "left"),
    [
        # In force: ended tomorrow at the earliest (G1.88), even when revoked today.
        (line(1, -5), TODAY, [("close", "1", TOMORROW)], TOMORROW),
        (
            line(1, -5),
            TODAY + timedelta(days=9),
            [("close", "1", TODAY + timedelta(days=9))],
            TODAY + timedelta(days=9),
        ),
        # Not begun by tomorrow: masked (G1.85).
        (line(1, 1), TODAY, [("mask", "1")], None),
        # Out of force by then already: nothing asked.
        (line(1, -5, 1), TODAY, [], TOMORROW),
        (line(1, -5, masked=True), TODAY, [], None),
    ],
)
def test_a_line_is_ended_or_masked_with_the_rules_notice(existing, wanted, asked, left):
    ppf = LinesAtThePPF(existing)
    result = directory.withdraw_line(ppf, existing.line_id, wanted, TOMORROW)
    assert ppf.asked == asked
    assert (result and result.effective_to) == left
