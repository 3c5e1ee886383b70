"""The dashboard in a real browser, on a real server with the PPF sandbox: an operator signs in with
the keyboard, creates a client and its onboarding link, sends an invoice and follows it to its
statuses, downloads its PDF and sees the usage charts; another sponsor's admin opens every one of
those pages by URL and gets nothing; a post without its CSRF token and a cookie kept after signing
out are refused. Each page is checked for accessibility basics and photographed at desktop and
phone widths under tests/artifacts/dashboard (not committed)."""

import base64
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from support import factories

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "dashboard"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SIGNED_PDF = base64.b64encode(b"%PDF-1.7\n% a consent the sponsor collected\n%%EOF\n").decode()

# Inputs without a label, headings out of order, controls kept out of the keyboard's reach.
ACCESSIBILITY_PROBLEMS = """() => {
  const problems = [];
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (field.type === "hidden") continue;
    const labelled = (field.id && document.querySelector(`label[for="${field.id}"]`)) || field.closest("label")
      || field.getAttribute("aria-label") || field.getAttribute("aria-labelledby");
    if (!labelled) problems.push("no label: " + (field.name || field.outerHTML.slice(0, 80)));
  }
  const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1]));
  if (levels[0] !== 1 || levels.filter((level) => level === 1).length !== 1) problems.push("one h1, first: " + levels);
  levels.forEach((level, i) => { if (i && level > levels[i - 1] + 1) problems.push("heading skips: " + levels); });
  for (const control of document.querySelectorAll("a[href], button, input, select, textarea")) {
    if (control.type !== "hidden" && control.tabIndex < 0) problems.push("not focusable: " + control.outerHTML);
  }
  for (const button of document.querySelectorAll("button")) {
    if (!button.textContent.trim() && !button.getAttribute("aria-label")) problems.push("button without a name");
  }
  if (!document.documentElement.lang) problems.push("no lang");
  return problems;
}"""


def _look(page, name: str) -> None:
    """Check the page's accessibility basics, and photograph it at both widths."""
    assert page.evaluate(ACCESSIBILITY_PROBLEMS) == [], (name, page.url)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(50)  # charts follow the new width on the next frame
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])


def _follow(page, link: str) -> None:
    """Click a link and wait for the page it leads to: a check run before that meets the document
    being replaced, or none at all (seen on a busy machine)."""
    target = urlsplit(page.locator(link).get_attribute("href")).path
    page.click(link)
    page.wait_for_url(lambda url: urlsplit(url).path == target)


def _sign_in_with_the_keyboard(page, base: str, person) -> None:
    page.goto(base + "/dashboard")
    assert page.url.startswith(base + "/dashboard/login")
    # The form starts focused: autofocus lands once the page is shown, on a busy machine after `goto`.
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.type(person.email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(person.password)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/dashboard/invoices")


def _watch_for_errors(page) -> list[str]:
    """Script errors and what the content security policy refused; and any of our assets missing,
    as they happen on `page`. (A page answered 404 on purpose logs a failed resource too: those are
    not counted.)"""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            # 304: the browser revalidated its cached copy, which the server says is current.
            "/static/" in response.url
            and response.status not in (200, 304)
            and errors.append(f"{response.status} {response.url}")
        ),
    )
    return errors


def _h1(page) -> str:
    return page.locator("h1").inner_text()


def test_an_operator_follows_a_client_and_an_invoice(
    browser,
    live_server,
    sandbox_server,
    committed_tenant,
    new_committed_tenant,
    committed_person,
    sandbox_companies,
    drain_jobs,
):
    from coursier.kit.tenancy import TenantContext
    from coursier.services.clients import ClientCreate, create_client

    base, runtime = live_server
    api = httpx.Client(base_url=base, timeout=30)
    seller_company, buyer_company = sandbox_companies.pop(), sandbox_companies.pop()
    # The sponsor's client sells; another of its clients buys: both on this platform, under active mandates.
    with runtime.sessions() as session:
        buyer_client = create_client(
            session,
            TenantContext(sponsor_id=committed_tenant.sponsor_id),
            ClientCreate(organization_name="Épicerie Acheteuse", contact_email=None, external_ref="buyer-1"),
        )
        session.commit()
    for client_id, company in ((committed_tenant.client_id, seller_company), (buyer_client.id, buyer_company)):
        headers = {**committed_tenant.auth, "X-PDP-Client-Id": client_id}
        created = api.post(
            "/api/mandates", headers=headers, json={"siren": company.siren, "file_attachment": SIGNED_PDF}
        )
        assert created.status_code == 201, created.text
    with ThreadPoolExecutor(1) as worker:
        worker.submit(drain_jobs).result()
    operator = committed_person(committed_tenant, "operator")
    other_sponsor = new_committed_tenant()
    intruder = committed_person(other_sponsor, "admin")

    context = browser.new_context(locale="fr-FR", viewport=WIDTHS["desktop"], accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    console_errors = _watch_for_errors(page)
    _sign_in_with_the_keyboard(page, base, operator)
    _look(page, "02-invoices-none-yet")
    assert "/dashboard/tokens" not in page.content()  # an operator's sections

    # A new client, its form filled and sent with the keyboard.
    _follow(page, "nav.sections >> text=Clients")
    _look(page, "04-clients")
    page.focus("#organization_name")
    page.keyboard.type("Boulangerie Martin")
    page.keyboard.press("Tab")
    page.keyboard.type("erp-42")
    page.keyboard.press("Tab")
    page.keyboard.type("compta@martin.fr")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/dashboard/clients/cli_*")
    assert _h1(page) == "Boulangerie Martin"
    new_client_path = urlsplit(page.url).path

    # Its onboarding link: shown once, copied, and it opens the onboarding pages.
    page.click("text=Créer un lien")
    link = page.input_value("#new-link")
    page.click("[data-copy=new-link]")
    expect(page.locator("[data-copy=new-link]")).to_have_text("Copié")
    assert page.evaluate("navigator.clipboard.readText()") == link
    _look(page, "05-client-with-new-link")
    onboarding = context.new_page()
    onboarding.goto(base + urlsplit(link).path)
    assert _h1(onboarding) == "Identifiez votre entreprise"
    onboarding.close()
    page.reload()
    assert page.locator("text=Ouvert").count() >= 1  # the link's state, never its token again
    assert link not in page.content()

    # An invoice of the selling client, sent from its page and followed to its statuses.
    invoice = factories.french_invoice(seller_company, buyer_company, number="DASH-0001")
    filename, content = factories.as_file(invoice, "cii")
    page.goto(f"{base}/dashboard/clients/{committed_tenant.client_id}")
    assert page.locator("text=Actif").count() >= 1  # its mandate, active, with its directory line
    page.set_input_files("#invoice-file", files=[{"name": filename, "mimeType": "application/xml", "buffer": content}])
    page.click("text=Envoyer la facture")
    page.wait_for_url(f"{base}/dashboard/invoices/inv_*")
    assert _h1(page) == "Facture DASH-0001"
    assert "200 · Déposée" in page.inner_text("ol.timeline")
    invoice_path = urlsplit(page.url).path
    with ThreadPoolExecutor(1) as worker:
        worker.submit(drain_jobs).result()
    page.reload()
    timeline = page.inner_text("ol.timeline")
    assert "201 · Émise par la plateforme" in timeline and "Plateforme de l'émetteur" in timeline
    _look(page, "06-invoice")
    with page.expect_download() as download:
        page.click("text=PDF lisible")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == "DASH-0001.pdf"

    # Both sides: the buying client's copy, received and made available by its platform.
    page.goto(base + "/dashboard/invoices")
    page.select_option("#direction", "inbound")  # htmx redraws the list
    page.wait_for_url("**/dashboard/invoices?*direction=inbound*")
    expect(page.locator("#invoice-results tbody tr")).to_have_count(1)
    _look(page, "07-invoices-received")
    _follow(page, "#invoice-results >> text=DASH-0001")
    received_path = urlsplit(page.url).path
    timeline = page.inner_text("ol.timeline")
    assert "203 · Mise à disposition" in timeline and "Plateforme du destinataire" in timeline

    _follow(page, "nav.sections >> text=Brouillons")
    _look(page, "08-drafts")

    # The usage charts: the invoice sent today is in today's bar.
    _follow(page, "nav.sections >> text=Consommation")
    # Polled from here: the page's content security policy forbids the eval wait_for_function polls with.
    chart_drawn = (
        "() => Boolean(window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=\"daily:counters\"]')))"
    )
    deadline = time.monotonic() + 10
    while not page.evaluate(chart_drawn) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    sent_today = page.evaluate(
        """() => Chart.getChart(document.querySelector('canvas[data-chart="daily:counters"]'))
            .data.datasets.find((set) => set.label === 'Factures émises').data.at(-1)"""
    )
    assert sent_today >= 1
    _look(page, "09-usage")
    _follow(page, f"header.top >> text={operator.email}")
    _look(page, "10-account")

    # A form posted without its CSRF token is refused, whatever the cookie.
    refused = page.request.post(base + "/dashboard/clients", form={"organization_name": "X", "external_ref": "x"})
    assert refused.status == 403

    # Signed out, the cookie is worth nothing.
    stolen = next(c for c in context.cookies() if c["name"] == "coursier_dashboard")
    page.click("text=Se déconnecter")
    page.wait_for_url(f"{base}/dashboard/login")
    _look(page, "01-login")
    thief = browser.new_context()
    thief.add_cookies([stolen])
    thief_page = thief.new_page()
    thief_page.goto(base + "/dashboard/clients")
    assert thief_page.url.startswith(base + "/dashboard/login")
    thief.close()

    # Another sponsor's admin: its own (empty) pages, and nothing of the first sponsor by URL.
    _sign_in_with_the_keyboard(page, base, intruder)
    for section, name in (("tokens", "11-tokens"), ("users", "12-users"), ("clients", "13-clients-other-sponsor")):
        page.goto(f"{base}/dashboard/{section}")
        _look(page, name)
    assert "Boulangerie Martin" not in page.content()
    for path in (
        new_client_path,
        f"/dashboard/clients/{committed_tenant.client_id}",
        invoice_path,
        received_path,
        f"{invoice_path}/download?format=pdf",
        f"/dashboard/invoices?client={committed_tenant.client_id}",
        f"/dashboard/usage?client={buyer_client.id}",
    ):
        answer = page.request.get(base + path)
        assert answer.status == 404, path
        assert "DASH-0001" not in answer.text() and "Boulangerie" not in answer.text()
    page.goto(base + invoice_path)
    assert _h1(page) == "Page introuvable"
    _look(page, "14-not-found")
    for listing in ("/dashboard/invoices", "/dashboard/usage"):
        page.goto(base + listing)
        assert "DASH-0001" not in page.content()

    assert console_errors == []
    context.close()


def test_an_admin_sets_up_a_webhook_and_follows_events_and_deliveries(
    browser,
    live_server,
    committed_tenant,
    new_committed_tenant,
    committed_person,
    drain_jobs,
    private_webhooks,
    webhook_receiver,
):
    from coursier.kit.tenancy import TenantContext
    from coursier.services.lifecycle import record_event

    base, runtime = live_server
    private_webhooks(runtime)
    # The receiver is down for the first delivery, then back.
    receiver = webhook_receiver(
        lambda number, request: 503 if request.payload["type"] != "webhook.test" and number < 2 else 200
    )
    admin = committed_person(committed_tenant, "admin")
    operator = committed_person(committed_tenant, "operator")
    intruder = committed_person(new_committed_tenant(), "admin")

    context = browser.new_context(locale="fr-FR", viewport=WIDTHS["desktop"])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    console_errors = _watch_for_errors(page)
    _sign_in_with_the_keyboard(page, base, admin)

    # A webhook for every client, registered with the keyboard; its secret shown once.
    _follow(page, "nav.sections >> text=Webhooks")
    assert _h1(page) == "Webhooks"
    _look(page, "15-webhooks-none-yet")
    page.focus("#webhook-url")
    page.keyboard.type(receiver.url)
    page.keyboard.press("Tab")
    page.keyboard.type("ERP de production")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/dashboard/webhooks")
    secret = page.input_value("#new-secret")
    assert secret.startswith("whsec_")
    _look(page, "16-webhook-created")
    endpoint_path = urlsplit(page.locator("form[action$='/test']").get_attribute("action")).path.removesuffix("/test")

    page.click("text=Envoyer un message de test")
    expect(page.locator("#test-answer")).to_contain_text("HTTP 200")
    assert receiver.requests[-1].payload["type"] == "webhook.test"
    _look(page, "17-webhook-tested")
    page.goto(base + endpoint_path)
    assert secret not in page.content()

    # An event of the client goes out; the receiver refuses the first attempt: a retry is due.
    with runtime.sessions() as session:
        event = record_event(
            session,
            TenantContext(sponsor_id=committed_tenant.sponsor_id, client_id=committed_tenant.client_id),
            object_type="mandate",
            object_id="mdt_browser00000001",
            status_code="MandateLifecycleStatus.ACTIVE",
        )
        session.commit()
    with ThreadPoolExecutor(1) as worker:
        worker.submit(drain_jobs, 1).result()
    page.reload()
    log = page.inner_text("#deliveries ~ .table-wrap")
    assert "HTTP 503" in log and "À envoyer" in log
    _look(page, "18-webhook-deliveries")
    _follow(page, "a[href*='/deliveries/dlv_']")
    assert _h1(page) == "Envoi d'un événement" and "HTTP 503" in page.inner_text("table")
    _look(page, "19-delivery")

    # The events: every client's, filtered by object type (htmx redraws the list).
    _follow(page, "nav.sections >> text=Événements")
    assert "Mandat actif" in page.inner_text("#event-results")
    _look(page, "20-events")
    page.select_option("#object_type", "invoice")
    page.wait_for_url("**/dashboard/events?*object_type=invoice*")
    assert "mdt_browser00000001" not in page.inner_text("#event-results")
    page.select_option("#object_type", "mandate")
    page.wait_for_url("**/dashboard/events?*object_type=mandate*")
    page.click("#event-results >> text=mdt_browser00000001")
    page.wait_for_url(f"{base}/dashboard/clients/{committed_tenant.client_id}#mandates")
    page.locator("#webhooks").scroll_into_view_if_needed()
    _look(page, "21-client-webhooks")

    # An operator sees the log and redelivers, but cannot change the webhook.
    page.click("text=Se déconnecter")
    _sign_in_with_the_keyboard(page, base, operator)
    page.goto(base + endpoint_path)
    assert page.locator("form[action$='/delete'], form[action$='/pause'], form[action$='/rotate']").count() == 0
    page.locator("#deliveries ~ .table-wrap >> text=Renvoyer").first.click()
    expect(page.locator("p.notice")).to_have_text("1 envoi(s) programmé(s).")
    _look(page, "22-webhook-operator-redelivered")
    with ThreadPoolExecutor(1) as worker:
        worker.submit(drain_jobs).result()
    page.goto(base + endpoint_path + "?status=succeeded")
    assert page.locator("a[href*='/deliveries/dlv_']").count() >= 1
    assert any(r.webhook_id == event.id and r.status == 200 for r in receiver.requests)

    # Another sponsor's admin gets nothing of it by URL.
    page.click("text=Se déconnecter")
    _sign_in_with_the_keyboard(page, base, intruder)
    for path in (endpoint_path, f"/dashboard/events?client={committed_tenant.client_id}"):
        answer = page.request.get(base + path)
        assert answer.status == 404 and receiver.url not in answer.text(), path
    for section in ("events", "webhooks"):
        page.goto(f"{base}/dashboard/{section}")
        assert receiver.url not in page.content() and "mdt_browser00000001" not in page.content()
    _look(page, "23-events-other-sponsor")

    assert console_errors == []
    context.close()
