"""Invoices per second from platform A to platform B over Peppol AS4, against the same invoices
through the sandbox's store-and-forward inbox, in the same run.

Usage: python bench/network.py [N] [--concurrency C]

Starts the PPF sandbox (directory, register, local SMP) and platform B (`coursier serve`, matricule
0099, AS4, its own database on the embedded test cluster), gives B a client with an active mandate
(so its line is published in the SMP), then sends N Factur-X invoices from A (0042) to that client:

- over AS4: A's transport looks B up in the SMP, signs, compresses and encrypts each invoice, B
  checks, decrypts, reads the invoice, stores it and commits, then answers the signed receipt that
  A checks;
- through the sandbox: A delivers each invoice to B's inbox in the sandbox (stored there, B does
  not read it yet: that is the transport this one replaces).

Both phases run C deliveries at once, and the ratio AS4 / sandbox is printed. B reads and checks
every invoice it receives (the official validation, as at a deposit): that, not AS4, is most of the
AS4 phase's time, so the AS4 messaging alone (build, sign, encrypt, open, sign the receipt, check
it) is timed too, in this process with the same invoices. Timings vary with the machine; the
ratios are the numbers to compare between runs.
"""

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from coursier.kit.embedded import ensure_database, start_embedded  # noqa: E402
from coursier.network.peers.as4 import As4Endpoint, As4Transport  # noqa: E402
from coursier.network.peers.pki import Credentials, init_test_pki, load_anchors, smp_files_of  # noqa: E402
from coursier.network.peers.sandbox import SandboxNetworkTransport  # noqa: E402
from coursier.network.peers.smp import Endpoint, FixedSmp, SmpClient  # noqa: E402
from coursier.sandbox.process import SandboxProcess  # noqa: E402
from coursier.sandbox.register import FIXED_COMPANIES  # noqa: E402
from support.factories import as_file, french_invoice  # noqa: E402
from support.platforms import Platform, participant_published  # noqa: E402

TOKENS = {"0042": "bench-token-0042", "0099": "bench-token-0099"}


def _timed(deliver, invoices, concurrency: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(deliver, invoices))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coursier-bench-network-") as folder:
        folder = Path(folder)
        server_url = start_embedded(folder / "data")
        pki = init_test_pki(folder / "pki", ["0042", "0099"])
        sandbox = SandboxProcess(
            database_url=_database(server_url, "bench_network_sandbox"),
            platforms={token: matricule for matricule, token in TOKENS.items()},
            log_path=folder / "sandbox.log",
            seed_companies=0,
            line_notice_days=0,  # B's client is routed to the day its line is registered
            directory_exports=False,
            smp_key=smp_files_of(folder / "pki")["key"],
            smp_certificate=smp_files_of(folder / "pki")["certificate"],
        )
        with sandbox:
            b = Platform(
                matricule="0099",
                database_url=_database(server_url, "bench_network_b"),
                data_dir=folder / "b",
                ppf_url=sandbox.url,
                ppf_token=TOKENS["0099"],
                pki=pki["0099"],
                # The sandbox's default PISTE application of platform 0099, and same-day lines.
                extra_env={
                    "PPF_CLIENT_ID": "coursier-0099",
                    "PPF_CLIENT_SECRET": "sandbox-secret-0099",
                    "COURSIER_PPF_LINE_NOTICE_DAYS": "0",
                },
            ).start()
            try:
                seller, buyer_company = FIXED_COMPANIES[0], FIXED_COMPANIES[1]
                buyer = b.new_client(b.new_sponsor("Bench buyer"), buyer_company)
                b.wait_for(lambda: participant_published(sandbox.url, buyer.siren), "the buyer in the SMP")
                invoices = [
                    as_file(french_invoice(seller, buyer_company, number=f"NET-{n:05d}"), "facturx")[1]
                    for n in range(2 * options.n)
                ]
                files = pki["0042"]
                credentials = Credentials.load(files["key"], files["certificate"], files["anchors"])
                as4 = As4Transport(
                    credentials, SmpClient(FixedSmp(f"{sandbox.url}/smp"), load_anchors(files["smp_anchors"]))
                )
                inbox = SandboxNetworkTransport(sandbox.url, TOKENS["0042"])

                def deliver_with(transport, prefix):
                    def deliver(indexed):
                        index, content = indexed
                        transport.deliver(
                            platform_id="0099",
                            invoice_id=f"{prefix}-{index}",
                            filename=f"NET-{index}.pdf",
                            content=content,
                            media_type="application/pdf",
                            recipient=buyer.siren,
                            sender=seller.siren,
                        )

                    return deliver

                over_as4 = list(enumerate(invoices[: options.n]))
                through_sandbox = list(enumerate(invoices[options.n :]))
                as4_seconds = _timed(deliver_with(as4, "as4"), over_as4, options.concurrency)
                sandbox_seconds = _timed(deliver_with(inbox, "inbox"), through_sandbox, options.concurrency)
                messaging_seconds = _timed(_messaging_only(credentials, pki["0099"]), invoices[: options.n], 1)
                received = b.call(
                    "GET", "/api/invoicing/invoices", buyer.headers, params={"direction": "inbound", "limit": 200}
                )
            finally:
                b.stop()
    as4_rate, sandbox_rate = options.n / as4_seconds, options.n / sandbox_seconds
    print(f"{options.n} Factur-X invoices A -> B, {options.concurrency} at once")
    print(f"  Peppol AS4 (stored at B, receipt checked): {as4_rate:8.1f} invoices/s")
    print(f"  sandbox inbox (stored in the sandbox):     {sandbox_rate:8.1f} invoices/s")
    print(f"  ratio AS4 / sandbox: {as4_rate / sandbox_rate:.2f}")
    messaging_rate = options.n / messaging_seconds
    print(f"  AS4 messaging alone, one at a time:         {messaging_rate:8.1f} invoices/s")
    print(f"  (B lists {len(received)} received invoices, first page)")


def _messaging_only(sender: Credentials, receiver_files: dict):
    """One delivery's AS4 work in memory: the sender's and the receiver's, no network, no storing."""
    receiver = Credentials.load(receiver_files["key"], receiver_files["certificate"], receiver_files["anchors"])
    endpoint = As4Endpoint(receiver, max_payload_bytes=64 * 1024 * 1024)

    def answer(request: httpx.Request) -> httpx.Response:
        inbound, refusal = endpoint.open(request.headers["content-type"], request.content, lambda participant: True)
        signal = refusal or endpoint.receipt(inbound)
        return httpx.Response(200, headers=signal.headers, content=signal.body)

    class Here:
        def endpoint(self, participant_id, document_type, process):
            return Endpoint("http://127.0.0.1/as4", receiver.certificate)

    transport = As4Transport(sender, Here(), transport=httpx.MockTransport(answer))
    counter = iter(range(10**9))

    def deliver(content: bytes) -> None:
        transport.deliver(
            platform_id="0099",
            invoice_id=f"memory-{next(counter)}",
            filename="x.pdf",
            content=content,
            media_type="application/pdf",
            recipient="200000008",
            sender="100000009",
        )

    return deliver


def _database(server_url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    ensure_database(make_url(server_url), name)
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    main()
