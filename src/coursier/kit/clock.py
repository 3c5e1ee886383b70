"""The one clock of Coursier and of its sandbox.

Instants are UTC. Calendar dates (a mandate's start, a directory line's period, an invoice's issue
date, a day of usage) are French dates: the reform's texts date everything in metropolitan French
time, so "today" is today in Europe/Paris, whatever the server's time zone.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Europe/Paris."""
    return datetime.now(PARIS).date()


def paris_date(instant: datetime) -> date:
    """The French calendar date of an instant."""
    return instant.astimezone(PARIS).date()


def start_of(day: date) -> datetime:
    """The instant a French calendar day begins (midnight in Europe/Paris)."""
    return datetime.combine(day, time(), PARIS)
