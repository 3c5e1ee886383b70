"""The invoice page's lifecycle through HTTP: both sides' statuses on the timeline, the statuses the
client's side may set now as forms; a buyer approves and disputes, a seller records a payment split
over the VAT rates; a refused move shows the rule and changes nothing; CSRF and another sponsor."""

import html
import re

import pytest
from sqlalchemy import func, select

from coursier.db.invoice_statuses import InvoiceStatusRecord
from coursier.model.lifecycle import ALLOWED_REASONS, InvoiceStatus
from support.dashboard import says


def _page(invoice_id: str) -> str:
    return f"/dashboard/invoices/{invoice_id}"


def _set(browser, invoice_id: str, **fields):
    return browser.form_post(_page(invoice_id), _page(invoice_id) + "/statuses", **fields)


def _offered(page) -> list[int]:
    """The statuses the page offers to set, in order."""
    return [int(code) for code in re.findall(r'name="status" value="(\d+)"', page.text)]


def _timeline(page) -> str:
    return html.unescape(page.text.split('<ol class="timeline">')[1].split("</ol>\n")[0])


def _count(session, *invoice_ids) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).where(InvoiceStatusRecord.invoice_id.in_(invoice_ids)))


@pytest.fixture
def pair(exchanged):
    return exchanged()


def test_the_buyer_approves_and_both_sides_see_it_on_their_timeline(browser_for, person, seller, buyer_here, pair):
    sent, received = pair
    buyer = browser_for(person(buyer_here.tenant))
    page = buyer.get(_page(received))
    assert page.status_code == 200
    # What the buyer may do first (check_move), not the seller's 209/212 nor the platforms' statuses.
    assert _offered(page) == [204, 205, 206, 207, 208, 210, 211, 214]
    assert says(page, "les statuts qu'il peut lui donner maintenant, comme acheteur")
    assert "200 · Déposée" in _timeline(page) and "Plateforme de l'émetteur" in _timeline(page)

    done = _set(buyer, received, status="205")
    assert (done.status_code, done.headers["location"]) == (303, _page(received))
    timeline = _timeline(buyer.get(_page(received)))
    assert "205 · Approuvée" in timeline and "Acheteur" in timeline and "0042" in timeline

    seller_view = browser_for(person(seller.tenant)).get(_page(sent))
    assert "205 · Approuvée" in _timeline(seller_view)
    # The seller may now record a collection (212) but not answer a suspension (209).
    assert 212 in _offered(seller_view) and 209 not in _offered(seller_view)
    assert says(seller_view, "comme vendeur")


def test_the_buyer_disputes_with_a_reason_and_a_missing_one_is_refused(browser_for, person, session, buyer_here, pair):
    sent, received = pair
    buyer = browser_for(person(buyer_here.tenant))
    page = buyer.get(_page(received))
    # The dispute's select offers its allowed reasons only, and requires one.
    dispute_form = page.text.split('value="207"')[1].split("</form>")[0]
    offered = set(re.findall(r'<option value="([A-Z_]+)"', dispute_form))
    assert offered == ALLOWED_REASONS[InvoiceStatus.IN_DISPUTE]
    assert 'name="reason_code" required' in dispute_form

    before = _count(session, sent, received)
    missing = _set(buyer, received, status="207")
    assert missing.status_code == 422
    assert says(missing, "Ce statut demande un motif") and says(missing, "Prix unitaires incorrects")
    assert _count(session, sent, received) == before
    wrong = _set(buyer, received, status="205", reason_code="PU_ERR")
    assert wrong.status_code == 422 and says(wrong, "Ce motif ne convient pas à ce statut")
    assert _count(session, sent, received) == before

    done = _set(buyer, received, status="207", reason_code="PU_ERR", comment="Le prix convenu était 10 €")
    assert done.status_code == 303
    timeline = _timeline(buyer.get(_page(received)))
    assert "207 · En litige" in timeline and "Prix unitaires incorrects" in timeline
    assert "Le prix convenu était 10 €" in timeline


def test_a_move_the_rules_refuse_shows_its_rule_and_changes_nothing(browser_for, person, session, buyer_here, pair):
    sent, received = pair
    buyer = browser_for(person(buyer_here.tenant))
    refused = _set(buyer, received, status="210", reason_code="TX_TVA_ERR", comment="Taux de TVA erroné")
    assert refused.status_code == 303
    page = buyer.get(_page(received))
    assert _offered(page) == [] and says(page, "Aucun statut ne peut être donné à cette facture maintenant.")
    # The refusal is mandatory: the PPF's side shows on it.
    assert "210 · Refusée" in _timeline(page) and "PPF : transmission en cours" in _timeline(page)

    before = _count(session, sent, received)
    again = _set(buyer, received, status="205")  # a stale page or a forged post
    assert again.status_code == 409
    assert says(again, "Ce statut n'est pas possible maintenant (règle LC-REFUSED-FINAL).")
    assert _count(session, sent, received) == before
    # A status of the other side: refused by the same rules.
    assert says(_set(buyer, received, status="209"), "règle LC-SIDE")
    assert _count(session, sent, received) == before


def test_the_seller_records_a_payment_split_over_the_vat_rates(
    browser_for, person, session, seller, buyer_here, exchanged, two_rate_invoice
):
    sent, received = exchanged(invoice=two_rate_invoice(seller.company, buyer_here.company, number="PAY-UI"))
    browser = browser_for(person(seller.tenant))
    form = browser.get(_page(sent)).text.split('value="212"')[1].split("</form>")[0]
    assert 'name="payment_amount"' in form and 'name="payment_date"' in form and 'name="payment_id"' in form

    done = _set(browser, sent, status="212", payment_amount="100,00", payment_date="2026-12-01", payment_id="vir-1")
    assert done.status_code == 303
    # 761.55 in all: 221.55 at 5.5 %, 540.00 at 20 % (as the API's test); the buyer sees it too.
    for viewer, invoice_id in ((browser, sent), (browser_for(person(buyer_here.tenant)), received)):
        timeline = _timeline(viewer.get(_page(invoice_id)))
        assert "212 · Encaissée" in timeline and "Paiement de 100,00 EUR le 2026-12-01" in timeline
        assert "29,09 EUR au taux de TVA de 5.5 %" in timeline and "70,91 EUR au taux de TVA de 20 %" in timeline
        assert "vir-1" in timeline

    before = _count(session, sent, received)
    over = _set(browser, sent, status="212", payment_amount="700", payment_date="2026-12-02")
    assert over.status_code == 409 and says(over, "Ce montant dépasse ce qui reste à encaisser")
    garbled = _set(browser, sent, status="212", payment_amount="cent euros", payment_date="2026-12-02")
    assert garbled.status_code == 422 and says(garbled, "Vérifiez le formulaire")
    assert _count(session, sent, received) == before


def test_a_post_without_the_csrf_token_is_refused(browser_for, person, session, buyer_here, pair):
    sent, received = pair
    buyer = browser_for(person(buyer_here.tenant))
    before = _count(session, sent, received)
    for fields in ({"status": "205"}, {"status": "205", "csrf_token": "forged"}):
        r = buyer.post(_page(received) + "/statuses", fields)
        assert r.status_code == 403
    assert _count(session, sent, received) == before


def test_another_sponsors_user_gets_404_by_url_and_by_post(browser_for, person, session, buyer_here, pair):
    sent, received = pair
    # The buyer's sponsor holds its own copy of the invoice, never the seller's row.
    intruder = browser_for(person(buyer_here.tenant))
    assert intruder.get(_page(sent)).status_code == 404
    before = _count(session, sent, received)
    for status, fields in (("212", {"payment_amount": "1", "payment_date": "2026-12-01"}), ("205", {})):
        # A valid token of the intruder's own session, from a page it may see.
        r = intruder.form_post(_page(received), _page(sent) + "/statuses", status=status, **fields)
        assert r.status_code == 404 and says(r, "Page introuvable")
    assert _count(session, sent, received) == before


def test_the_page_speaks_english_to_an_english_speaking_user(browser_for, person, buyer_here, pair):
    _, received = pair
    buyer = browser_for(person(buyer_here.tenant))
    assert buyer.form_post(_page(received), "/dashboard/language", language="en", next="").status_code == 303
    page = buyer.get(_page(received))
    assert says(page, "Statuses to set") and says(page, "as the buyer") and says(page, "Set status 205")
    assert "200 · Deposited" in _timeline(page) and "Issuer's platform" in _timeline(page)
