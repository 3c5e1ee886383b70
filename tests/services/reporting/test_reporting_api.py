"""/api/reporting on the rolled-back database: what a client reports, how a day sent again replaces
it, what is refused (422 with a plain reason, nothing stored), the periods and their preview, and
the tenant boundary seen from a second sponsor."""

from datetime import timedelta

import pytest

from coursier.kit import clock
from coursier.model.reporting import DataKind, VatRegime, period_of
from coursier.validation.f10 import check_f10
from support.reporting import invoice_data

from .conftest import SIREN_A

DAY = [{"rate": "20", "taxable_amount": "100.00", "tax_amount": "20.00"}]


def post(api, tenant, path, body):
    return api.post(f"/api/reporting/{path}", headers=tenant.headers, json=body)


def periods(api, tenant):
    r = api.get("/api/reporting/periods", headers=tenant.headers)
    assert r.status_code == 200, r.text
    return r.json()


def events(api, tenant, **filters):
    return api.get("/api/lifecycle-events", headers=tenant.headers, params=filters).json()


def test_a_b2c_day_lands_in_its_period_and_the_same_day_again_replaces_it(api, declarant_a, month):
    day = month + timedelta(days=3)
    first = post(
        api, declarant_a, "b2c-transactions", {"date": day.isoformat(), "category": "TLB1", "vat": DAY, "count": 4}
    )
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["block"], body["replaces"], body["late"], body["operation_date"]) == (
        "10.3",
        None,
        False,
        day.isoformat(),
    )
    [period] = periods(api, declarant_a)
    assert (period["id"], period["kind"], period["declarant_role"], period["siren"]) == (
        body["period_id"],
        "transactions",
        "seller",
        SIREN_A,
    )
    # réel normal mensuel by default: the first décade, due by the 20th, over long ago.
    assert (period["start"], period["end"]) == (month.isoformat(), (month + timedelta(days=9)).isoformat())
    assert (period["deadline"], period["state"], period["transmissions"]) == (
        (month + timedelta(days=19)).isoformat(),
        "due",
        [],
    )

    again = post(
        api,
        declarant_a,
        "b2c-transactions",
        {
            "date": day.isoformat(),
            "category": "TLB1",
            "vat": [{"rate": "5.5", "taxable_amount": "50", "tax_amount": "2.75"}],
        },
    )
    assert again.status_code == 201 and again.json()["replaces"] == body["id"]
    preview = api.get(f"/api/reporting/periods/{period['id']}/preview", headers=declarant_a.headers).json()
    assert preview["due"] is True and preview["report"]["document"]["type_code"] == "IN"
    [entry] = preview["report"]["transactions"]["transactions"]
    assert (entry["tax_exclusive_amount"], entry["tax_total"], entry["count"]) == ("50.00", "2.75", None)
    assert [(s["rate"], s["taxable_amount"]) for s in entry["subtotals"]] == [("5.5", "50.00")]
    # Another category of the same day is another entry; the events follow each version.
    assert (
        post(
            api, declarant_a, "b2c-transactions", {"date": day.isoformat(), "category": "TPS1", "vat": DAY}
        ).status_code
        == 201
    )
    recorded = events(api, declarant_a, object_type="transaction_data", object_id=body["id"])
    assert [e["status_code"] for e in recorded] == ["TransactionDataStatus.RECORDED", "TransactionDataStatus.REPLACED"]

    xml = api.get(
        f"/api/reporting/periods/{period['id']}/preview", headers=declarant_a.headers, params={"format": "xml"}
    )
    assert xml.headers["content-type"].startswith("application/xml")
    assert check_f10(xml.content).valid and xml.content.count(b"<Transactions>") == 2


@pytest.mark.parametrize(
    "path,body,code",
    [
        ("b2c-transactions", {"category": "TXX1", "vat": DAY}, "validation_error"),
        (
            "b2c-transactions",
            {"category": "TLB1", "vat": [{"rate": "19", "taxable_amount": "1", "tax_amount": "0.19"}]},
            "rate_not_accepted",
        ),
        ("b2c-transactions", {"category": "TLB1", "vat": DAY + DAY}, "rate_repeated"),
        (
            "b2c-transactions",
            {"category": "TLB1", "vat": [{"rate": "20", "taxable_amount": "1.001", "tax_amount": "0"}]},
            "amount_precision",
        ),
        ("payments", {"category": "TLB1", "amounts": [{"rate": "20", "amount": "12"}]}, "payment_data_not_due"),
        ("payments", {"category": "TPS1", "amounts": [{"rate": "20", "amount": "-12"}]}, "amount_negative"),
        ("payments", {"amounts": [{"rate": "20", "amount": "12"}]}, "payment_subject_missing"),
        (
            "payments",
            {"invoice_id": "inv_nothere000000000", "amounts": [{"rate": "20", "amount": "1"}]},
            "invoice_not_found",
        ),
    ],
)
def test_bad_input_is_refused_with_a_plain_reason_and_nothing_is_stored(api, declarant_a, month, path, body, code):
    r = post(api, declarant_a, path, {"date": (month + timedelta(days=2)).isoformat(), **body})
    assert r.status_code in (404, 422) and r.json()["code"] == code, r.text
    assert r.headers["content-type"].startswith("application/problem+json") and r.json()["detail"]
    assert periods(api, declarant_a) == [] and events(api, declarant_a) == []


def test_a_date_in_the_future_and_a_client_without_mandate_are_refused(api, declarant_a, tenant_b):
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    r = post(api, declarant_a, "b2c-transactions", {"date": tomorrow, "category": "TLB1", "vat": DAY})
    assert (r.status_code, r.json()["code"]) == (422, "date_in_future")
    r = post(api, tenant_b, "b2c-transactions", {"date": clock.today().isoformat(), "category": "TLB1", "vat": DAY})
    assert (r.status_code, r.json()["code"]) == (422, "no_declarant")


def test_payment_data_follows_the_regime_settings(api, declarant_a, month):
    payment = {
        "date": (month + timedelta(days=5)).isoformat(),
        "category": "TPS1",
        "amounts": [{"rate": "20", "amount": "120.00"}],
    }
    ok = post(api, declarant_a, "payments", payment)
    assert ok.status_code == 201 and ok.json()["block"] == "10.4"
    [period] = periods(api, declarant_a)
    assert (period["kind"], period["start"]) == ("payments", month.isoformat())
    api.patch("/api/settings", headers=declarant_a.headers, json={"vat_on_debits": True})
    refused = post(api, declarant_a, "payments", payment)
    assert (refused.status_code, refused.json()["code"]) == (422, "payment_data_not_due")
    assert "VAT on debits" in refused.json()["detail"]


def test_an_exempt_invoice_is_checked_reported_and_paid(api, declarant_a, month):
    issued = month + timedelta(days=12)
    sale = {"direction": "outgoing", "country_code": "DE", "model": invoice_data(SIREN_A, "EXP-1", issued)}
    r = post(api, declarant_a, "exempt-invoices", sale)
    assert r.status_code == 201, r.text
    reported = r.json()
    assert reported["block"] == "10.1" and reported["invoice_id"].startswith("inv_")
    timeline = events(api, declarant_a, object_type="invoice", object_id=reported["invoice_id"])
    assert [e["status_code"] for e in timeline] == ["TransactionDataStatus.RECORDED"]
    assert (
        api.get(f"/api/invoicing/invoice_data/{reported['invoice_id']}", headers=declarant_a.headers).json()["number"]
        == "EXP-1"
    )
    # The same number again, the same year: the seller already reported it.
    again = post(api, declarant_a, "exempt-invoices", sale)
    assert (again.status_code, again.json()["code"]) == (409, "duplicate_invoice")
    # Paid: services at 20 %, 10.2.
    paid = post(
        api,
        declarant_a,
        "payments",
        {
            "date": (issued + timedelta(days=3)).isoformat(),
            "invoice_id": reported["invoice_id"],
            "amounts": [{"rate": "20", "amount": "1200.00"}],
        },
    )
    assert paid.status_code == 201 and paid.json()["block"] == "10.2", paid.text
    # Goods are not paid in e-reporting.
    goods = dict(sale, model=invoice_data(SIREN_A, "EXP-2", issued, frame="B1"))
    goods_id = post(api, declarant_a, "exempt-invoices", goods).json()["invoice_id"]
    refused = post(
        api,
        declarant_a,
        "payments",
        {"date": issued.isoformat(), "invoice_id": goods_id, "amounts": [{"rate": "20", "amount": "1"}]},
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "payment_data_not_due")
    assert "goods" in refused.json()["detail"]
    # A purchase from the US is the buyer's to report.
    bought = {
        "direction": "incoming",
        "country_code": "US",
        "model": invoice_data(SIREN_A, "US-77", issued, country="US", incoming=True),
    }
    r = post(api, declarant_a, "exempt-invoices", bought)
    assert r.status_code == 201, r.text
    roles = {(p["kind"], p["declarant_role"]) for p in periods(api, declarant_a)}
    assert roles == {("transactions", "seller"), ("payments", "seller"), ("transactions", "buyer")}
    # Payment data is the seller's, and none is due under reverse charge.
    purchase_paid = post(
        api,
        declarant_a,
        "payments",
        {"date": issued.isoformat(), "invoice_id": r.json()["invoice_id"], "amounts": [{"rate": "20", "amount": "1"}]},
    )
    assert (purchase_paid.status_code, purchase_paid.json()["code"]) == (422, "payment_data_not_due")
    reverse = dict(sale, model=invoice_data(SIREN_A, "EXP-AE", issued, lines=(("500.00", "0"),), vat_category="AE"))
    reverse_id = post(api, declarant_a, "exempt-invoices", reverse).json()["invoice_id"]
    refused = post(
        api,
        declarant_a,
        "payments",
        {"date": issued.isoformat(), "invoice_id": reverse_id, "amounts": [{"rate": "0", "amount": "500"}]},
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "payment_data_not_due")
    assert "reverse charge" in refused.json()["detail"]


def test_a_b2c_invoice_joins_the_days_totals_of_its_category(api, declarant_a, month):
    day = month + timedelta(days=6)
    model = invoice_data(SIREN_A, "B2C-1", day, country="DE", lines=(("40.00", "20"), ("10.00", "5.5")))
    r = post(
        api,
        declarant_a,
        "exempt-invoices",
        {"direction": "outgoing", "country_code": "FR", "model": model, "b2c": True, "category": "TLB1"},
    )
    assert r.status_code == 201 and r.json()["block"] == "10.3", r.text
    post(api, declarant_a, "b2c-transactions", {"date": day.isoformat(), "category": "TLB1", "vat": DAY, "count": 5})
    preview = api.get(f"/api/reporting/periods/{r.json()['period_id']}/preview", headers=declarant_a.headers).json()
    [entry] = preview["report"]["transactions"]["transactions"]
    assert (entry["tax_exclusive_amount"], entry["tax_total"], entry["count"]) == ("150.00", "28.55", 6)
    assert preview["report"]["transactions"]["invoices"] == []  # B2C invoices are never sent one by one
    missing = post(
        api,
        declarant_a,
        "exempt-invoices",
        {"direction": "outgoing", "country_code": "FR", "model": model, "b2c": True},
    )
    assert (missing.status_code, missing.json()["code"]) == (422, "category_missing")


@pytest.mark.parametrize(
    "change,code",
    [
        ({"country_code": "FR"}, "domestic_counterparty"),
        ({"model": {"number": "X"}}, "invoice_incomplete"),
        ({"model": {"issue_date": "not a date"}}, "invoice_invalid"),
        ({"model_change": {"business_process_type": None}}, "invoice_incomplete"),
        ({"model_change": {"type_code": "999"}}, "invoice_invalid"),
        (
            {
                "model_change": {
                    "seller": {
                        "name": "Someone else",
                        "postal_address": {"country_code": "FR"},
                        "legal_registration_identifier": {"value": "552100554", "scheme_id": "0002"},
                    }
                }
            },
            "declarant_not_client",
        ),
    ],
)
def test_an_exempt_invoice_breaking_a_rule_is_refused_and_nothing_stored(api, declarant_a, month, change, code):
    model = invoice_data(SIREN_A, "EXP-9", month + timedelta(days=1))
    model.update(change.pop("model_change", {}))
    r = post(
        api, declarant_a, "exempt-invoices", {"direction": "outgoing", "country_code": "DE", "model": model} | change
    )
    assert (r.status_code, r.json()["code"]) == (422, code), r.text
    assert periods(api, declarant_a) == [] and events(api, declarant_a) == []
    assert api.get("/api/invoicing/invoices", headers=declarant_a.headers).json() == []


def test_a_second_sponsor_sees_nothing_of_the_first(api, declarant_a, declarant_b, month):
    day = (month + timedelta(days=1)).isoformat()
    item = post(api, declarant_a, "b2c-transactions", {"date": day, "category": "TLB1", "vat": DAY}).json()
    sale = {"direction": "outgoing", "country_code": "DE", "model": invoice_data(SIREN_A, "EXP-5", month)}
    invoice_id = post(api, declarant_a, "exempt-invoices", sale).json()["invoice_id"]
    period_id = item["period_id"]
    foreign = {"Authorization": declarant_b.token, "X-PDP-Client-Id": declarant_a.client_id}
    assert api.get("/api/reporting/periods", headers=foreign).json()["code"] == "client_not_found"
    assert periods(api, declarant_b) == []
    for method, path in (
        ("GET", f"/api/reporting/periods/{period_id}"),
        ("GET", f"/api/reporting/periods/{period_id}/preview"),
        ("POST", f"/api/reporting/periods/{period_id}/resend"),
        ("DELETE", f"/api/reporting/exempt-invoices/{invoice_id}"),
    ):
        r = api.request(method, path, headers=declarant_b.headers)
        assert r.status_code == 404, (method, path, r.text)
    paid = post(
        api,
        declarant_b,
        "payments",
        {"date": day, "invoice_id": invoice_id, "amounts": [{"rate": "20", "amount": "1"}]},
    )
    assert (paid.status_code, paid.json()["code"]) == (404, "invoice_not_found")
    assert len(periods(api, declarant_a)) == 1


def test_a_change_of_regime_never_makes_two_periods_cover_one_day(api, declarant_a, month):
    def sold_on(days: int) -> None:
        day = (month + timedelta(days=days)).isoformat()
        r = post(api, declarant_a, "b2c-transactions", {"date": day, "category": "TLB1", "vat": DAY})
        assert r.status_code == 201, r.text

    def day(days: int) -> str:
        return (month + timedelta(days=days)).isoformat()

    sold_on(12)  # normal monthly regime: the décade of the 11th to the 20th
    assert api.patch("/api/settings", headers=declarant_a.headers, json={"vat_regime": "franchise"}).status_code == 200
    sold_on(3)  # a two-month period now, cut short before the décade already open
    sold_on(15)  # a day the décade holds: into it
    sold_on(24)  # after it: the rest of the two-month period
    spans = sorted((p["start"], p["end"]) for p in periods(api, declarant_a))
    assert all(earlier[1] < later[0] for earlier, later in zip(spans, spans[1:], strict=False)), spans
    two_months = period_of(VatRegime.FRANCHISE, DataKind.TRANSACTIONS, month)
    assert len(spans) == 3 and spans[1] == (day(10), day(19)), spans
    assert spans[0] == (two_months.start.isoformat(), day(9)), spans
    assert spans[2] == (day(20), two_months.end.isoformat()), spans
