"""Helpers of the directory API's tests (PPF-DIR 1.11.0 bodies)."""

from datetime import timedelta

from coursier.kit.clock import today

TODAY = today()
UNKNOWN_SIREN = "999999998"  # Luhn-valid, in no register


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def line_body(siren: str, start: int = 0, end: int | None = None, platform: str = "0042", **addressing) -> dict:
    period = {"dateDebutEffet": day(start), **({"dateFinEffet": day(end)} if end is not None else {})}
    return {
        "periodeEffet": period,
        "informationAdressage": {"siren": siren, "matriculePlateforme": platform, **addressing},
    }


def create(client, siren: str, **fields) -> dict:
    response = client.post("/ligne-annuaire", json=line_body(siren, **fields))
    assert response.status_code == 201, response.text
    return response.json()
