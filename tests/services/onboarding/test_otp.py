"""The one-time code that proves the signatory's e-mail: hashed, 10 minutes, 5 tries, single use."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coursier.db.lifecycle import LifecycleEvent
from coursier.db.mandates import Mandate
from coursier.kit.errors import InvalidInput
from coursier.kit.tenancy import TenantContext
from coursier.services.onboarding import identification, kyc, links

EMAIL = "marie.dupont@acme.example"


@pytest.fixture
def link(session, tenant_a, ppf, mailer, runtime):
    """Tenant A's link with its company confirmed and a code sent to the signatory."""
    ctx = TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id)
    link, _ = links.create_link(session, ctx, links.LinkRequest(), base_url="https://pa.example")
    company = identification.identify_company(ppf, siren="812345676", siret=None, routing_code=None)
    identification.confirm_company(session, link, company, ppf=ppf, settings=runtime.settings)
    kyc.start_email_check(
        session,
        link,
        first_name=" Marie ",
        last_name="Dupont",
        role="gérante",
        email=EMAIL,
        mailer=mailer,
    )
    return link


class _Refusal:
    """pytest.raises(InvalidInput), and its code checked."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.raised = pytest.raises(InvalidInput)

    def __enter__(self):
        return self.raised.__enter__()

    def __exit__(self, *exc_info):
        handled = self.raised.__exit__(*exc_info)
        assert self.raised.excinfo.value.code == self.code, self.raised.excinfo.value
        return handled


def test_the_code_is_mailed_and_only_its_hash_is_kept(link, ppf):
    assert link.signatory == {"first_name": "Marie", "last_name": "Dupont", "role": "gérante", "email": EMAIL}
    mail = ppf.mails[-1]
    code = ppf.last_code(EMAIL)
    assert mail["to"] == EMAIL and code in mail["subject"] and "Acme Onboarding SA" in mail["text"]
    assert link.otp_hash is not None and len(link.otp_hash) == 64 and code not in link.otp_hash
    assert timedelta(minutes=9) < link.otp_expires_at - datetime.now(UTC) <= timedelta(minutes=10)


def test_the_right_code_completes_the_kyc_once(session, link, ppf):
    code = ppf.last_code(EMAIL)
    kyc.verify_code(session, link, code)
    assert link.email_verified_at is not None and link.kyc_completed_at == link.email_verified_at
    assert links.current_step(link) == "signature"
    mandate = session.get(Mandate, link.mandate_id)
    assert mandate.status == "created"
    events = session.scalars(
        select(LifecycleEvent.status_code)
        .where(LifecycleEvent.object_id == mandate.id)
        .order_by(LifecycleEvent.created_at, LifecycleEvent.id)
    ).all()
    assert set(events) == {
        "MandateLifecycleStatus.CREATED",
        "MandateLifecycleStatus.PENDING_KYC",
        "MandateLifecycleStatus.KYC_COMPLETED",
    }
    with _Refusal("otp_missing"):  # replayed
        kyc.verify_code(session, link, code)


def test_a_wrong_code_counts_and_five_end_the_code(session, link, ppf):
    code = ppf.last_code(EMAIL)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for tries_left in (4, 3, 2, 1):
        with _Refusal("otp_invalid") as refusal:
            kyc.verify_code(session, link, wrong)
        assert refusal.value.extra == {"tries_left": tries_left}
    with _Refusal("otp_exhausted"):
        kyc.verify_code(session, link, wrong)
    with _Refusal("otp_exhausted"):  # even the right one, now
        kyc.verify_code(session, link, code)
    assert link.kyc_completed_at is None and link.otp_failed_attempts == 5


def test_an_expired_code_is_refused(session, link, ppf):
    link.otp_expires_at = datetime.now(UTC) - timedelta(seconds=1)
    with _Refusal("otp_expired"):
        kyc.verify_code(session, link, ppf.last_code(EMAIL))
    assert link.kyc_completed_at is None


def test_a_new_code_replaces_the_old_one_and_resets_the_tries(session, link, ppf, mailer):
    old = ppf.last_code(EMAIL)
    link.otp_failed_attempts = 4
    kyc.send_code(session, link, mailer=mailer)
    new = ppf.last_code(EMAIL)
    if new != old:
        with _Refusal("otp_invalid"):
            kyc.verify_code(session, link, old)
    kyc.verify_code(session, link, new)
    assert link.kyc_completed_at is not None


def test_a_link_sends_at_most_five_codes(session, link, ppf, mailer):
    for _ in range(kyc.OTP_MAX_CODES - 1):
        kyc.send_code(session, link, mailer=mailer)
    sent = len(ppf.mails)
    with _Refusal("otp_send_limit"):
        kyc.send_code(session, link, mailer=mailer)
    assert len(ppf.mails) == sent == kyc.OTP_MAX_CODES


@pytest.mark.parametrize(
    "fields,code",
    [
        ({"email": "not-an-address"}, "invalid_email"),
        ({"role": "   "}, "field_required"),
        ({"first_name": "x" * 101}, "field_required"),
    ],
)
def test_the_signatory_must_be_complete(session, link, ppf, mailer, fields, code):
    values = {"first_name": "Marie", "last_name": "Dupont", "role": "DAF", "email": EMAIL, **fields}
    sent = len(ppf.mails)
    with _Refusal(code):
        kyc.start_email_check(session, link, mailer=mailer, **values)
    assert len(ppf.mails) == sent
