"""Flow 1 (F1): the regulated data of a domestic B2B invoice, sent by the issuer's platform to the PPF.

    build_f1(invoice, profile="base" | "full", issuer_platform_id=...) -> F1Document

Checking an F1 file as the PPF would is `coursier.validation.f1` (`check_f1`).

Syntax and profiles. F1 is sent in UBL 2.1 or CII D22B; Coursier writes CII D22B, the syntax of
the French EXTENDED-CTC-FR profile, in the usual CII namespaces. Two profiles exist, declared by
the file-name prefix `Base_` / `Full_`, case-sensitive (annex 7 rule S1.06; DGFiP "dossier
général" §3.4.4): Base is what the PPF requires from 1 September 2026 (trajectoire de
démarrage), Full the later target (trajectoire cible). Sources: the digest
`shared/spec/french-einvoicing.md` (annexes 1 and 7 of the DGFiP spécifications externes), the
F1 XSDs as redistributed by phax/phive-rules and the XSD change log of v3.2, and the AIFE
schematron of flow 1 (v1.1, quoting annex 7 v1.8).

What F1 carries, and why (both profiles unless said):
- header: BT-1 number, BT-2 issue date, BT-3 type, BT-5 currency, BT-8 VAT due date option,
  BT-9 due date, BG-1 notes, BT-23 billing frame (B1..S7, G1.02), BT-24 specification id,
  BG-14 invoicing period; BT-25 preceding invoice (credit notes and corrective invoices refer to
  it, G1.31), with its date BT-26 in Full only (v3.2 change log);
- parties: seller and buyer by name, SIREN (BT-30 / BT-47, scheme 0002: the PPF identifies the
  taxable persons by it, G6.08, G1.63), VAT id (BT-31 / BT-48) and postal address with its
  country (BT-40 / BT-55, mandatory); the seller's single VAT group (BT-29, scheme 0231 only,
  S1.14); the tax representative (BG-11, its VAT id answers G1.47);
- delivery: actual delivery date (BT-72) and delivery address (BG-15, activated in Base by v3.2);
- amounts: BT-109 total without VAT and BT-110 total VAT, plus BT-111 in euros when the invoice
  is in another currency (G1.12), and the whole VAT breakdown BG-23 (BT-116..BT-121), the tax
  data the PPF exists to collect. The schemas keep no line total, grand total or amount due.
- Full only: document allowances and charges (BG-20, BG-21) by amount and VAT, and the lines
  (BG-25): note, quantity and unit, period, allowance and charge amounts, net price, gross price
  and discount for one unit, item name. The F1 Full schema keeps neither the line id, nor the line
  net amount, nor the line VAT group.
Everything else (references BT-10..BT-19, payment instructions, payee, contacts, electronic
addresses, supporting documents...) is business between seller and buyer, not tax data, and the
F1 schemas leave it out; `build_f1` reports each such term it leaves out.

The F1 XSDs ship in no package installable here (checked: factur-x 7.8, pyfrctc 0.24 and the PyPI
package list), so their content model is restated in `layout`, which both cuts what the builder
writes and checks what a file holds; `profiles` says how a file declares its profile.
"""

from .build import F1Document, build_f1, f1_content

__all__ = ["F1Document", "build_f1", "f1_content"]
