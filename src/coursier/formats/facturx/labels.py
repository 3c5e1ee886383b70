"""Words of the readable invoice, French first and English beside it.

Each entry is a `(fr, en)` pair so that a label cannot exist in one language only. The legal
wordings restate French law in our own words; the article each one rests on is named beside it.
"""

from enum import StrEnum


class Language(StrEnum):
    """Languages of the page; a plain "fr" or "en" is accepted wherever one is expected."""

    FR = "fr"
    EN = "en"


# (French, English), in the order of `Language`.
Bilingual = tuple[str, str]


def pick(pair: Bilingual, language: Language) -> str:
    return pair[list(Language).index(language)]


TEXTS: dict[str, Bilingual] = {
    # French sets a no-break space before a colon; English does not.
    "colon": ("\u00a0: ", ": "),
    "number": ("N°", "No."),
    "issue_date": ("Date d'émission", "Issue date"),
    "due_date": ("Date d'échéance", "Due date"),
    "delivery_date": ("Date de livraison ou d'exécution", "Delivery date"),
    "invoicing_period": ("Période facturée", "Invoicing period"),
    "period_range": ("du {start} au {end}", "{start} to {end}"),
    "tax_point_date": ("Date d'exigibilité de la TVA", "VAT point date"),
    "operation_category": ("Nature de l'opération", "Type of supply"),
    "preceding_invoice": ("Facture d'origine", "Preceding invoice"),
    "preceding_invoice_dated": ("{number} du {date}", "{number} of {date}"),
    "seller": ("Vendeur", "Seller"),
    "buyer": ("Client", "Buyer"),
    "deliver_to": ("Adresse de livraison", "Deliver to"),
    "payee": ("Bénéficiaire du paiement", "Payee"),
    "tax_representative": ("Représentant fiscal", "Tax representative"),
    "siren": ("SIREN", "SIREN"),
    "siret": ("SIRET", "SIRET"),
    "vat_identifier": ("N° TVA intracom.", "VAT ID"),
    "tax_registration": ("N° d'identification fiscale", "Tax registration"),
    "legal_registration": ("Immatriculation", "Registration"),
    "identifier": ("Identifiant", "Identifier"),
    "electronic_address": ("Adresse électronique", "Electronic address"),
    "contact": ("Contact", "Contact"),
    "references": ("Références", "References"),
    "buyer_reference": ("Référence client", "Buyer reference"),
    "purchase_order": ("Bon de commande", "Purchase order"),
    "sales_order": ("Commande vendeur", "Sales order"),
    "contract": ("Contrat", "Contract"),
    "project": ("Projet", "Project"),
    "despatch_advice": ("Bon de livraison", "Despatch advice"),
    "receiving_advice": ("Bon de réception", "Receiving advice"),
    "tender": ("Marché ou lot", "Tender or lot"),
    "buyer_accounting": ("Imputation comptable", "Buyer accounting reference"),
    "invoiced_object": ("Objet facturé", "Invoiced object"),
    "line_number": ("N°", "#"),
    "description": ("Désignation", "Description"),
    "quantity": ("Qté", "Qty"),
    "unit": ("Unité", "Unit"),
    "unit_price": ("P.U. HT", "Unit price"),
    "vat_rate": ("TVA", "VAT"),
    "line_net_amount": ("Montant HT", "Net amount"),
    "seller_item_id": ("Réf.", "Ref."),
    "buyer_item_id": ("Réf. client", "Buyer ref."),
    "standard_item_id": ("Code article", "Item code"),
    "order_line": ("Ligne de commande", "Order line"),
    "price_per": ("pour {quantity} {unit}", "per {quantity} {unit}"),
    "gross_price": ("Prix brut {gross}, remise {discount}", "Gross price {gross}, discount {discount}"),
    "allowance": ("Remise", "Allowance"),
    "charge": ("Frais", "Charge"),
    "vat_breakdown": ("Détail de la TVA", "VAT breakdown"),
    "vat_category": ("Régime", "Category"),
    "vat_taxable_amount": ("Base HT", "Taxable amount"),
    "vat_tax_amount": ("Montant TVA", "VAT amount"),
    "vat_exemption": ("Motif", "Reason"),
    "sum_of_lines": ("Total HT des lignes", "Sum of line net amounts"),
    "total_without_vat": ("Total HT", "Total excl. VAT"),
    "total_vat": ("Total TVA", "Total VAT"),
    "total_with_vat": ("Total TTC", "Total incl. VAT"),
    "paid_amount": ("Acomptes versés", "Paid amount"),
    "rounding_amount": ("Arrondi", "Rounding"),
    "amount_due": ("Net à payer", "Amount due"),
    "payment": ("Règlement", "Payment"),
    "payment_means": ("Mode de paiement", "Payment means"),
    "iban": ("IBAN", "IBAN"),
    "bic": ("BIC", "BIC"),
    "account_name": ("Titulaire du compte", "Account name"),
    "card": ("Carte", "Card"),
    "mandate": ("Mandat de prélèvement", "Direct debit mandate"),
    "creditor_identifier": ("ICS créancier", "Creditor identifier"),
    "debited_account": ("Compte débité", "Debited account"),
    "remittance": ("Référence à rappeler", "Payment reference"),
    "payment_terms": ("Conditions de paiement", "Payment terms"),
    "late_penalties": ("Pénalités de retard", "Late payment penalties"),
    "recovery_fee": ("Indemnité de recouvrement", "Recovery fee"),
    "early_payment": ("Escompte", "Early payment discount"),
    "notes": ("Informations complémentaires", "Notes"),
    "page": ("Page", "Page"),
    "page_of": ("sur", "of"),
    # C. com. art. L441-10 II: without an agreed rate, the ECB refinancing rate plus 10 points.
    "default_late_penalties": (
        "Taux de refinancement de la BCE majoré de 10 points (art. L441-10 du Code de commerce), "
        "exigibles dès le lendemain de la date d'échéance.",
        "ECB refinancing rate plus 10 percentage points (French Commercial Code, art. L441-10), "
        "due from the day after the due date.",
    ),
    # C. com. art. L441-10 II and D441-5: EUR 40 owed by any business that pays late.
    "default_recovery_fee": (
        "Tout professionnel en retard de paiement doit de plein droit une indemnité forfaitaire de "
        "40 € pour frais de recouvrement (art. L441-10 et D441-5 du Code de commerce).",
        "A business paying late owes by law a fixed fee of EUR 40 for recovery costs (French "
        "Commercial Code, art. L441-10 and D441-5).",
    ),
    # C. com. art. L441-9: the invoice states the early payment discount terms, even when none.
    "default_early_payment": (
        "Pas d'escompte pour paiement anticipé.",
        "No discount for early payment.",
    ),
    # CGI annex II art. 242 nonies A: the mention required when VAT is paid on debits.
    "vat_on_debits": (
        "Option pour le paiement de la taxe d'après les débits.",
        "Option to pay VAT on debits.",
    ),
}

# UNTDID 1001 invoice type codes (BT-3) as a French title.
DOCUMENT_TITLES: dict[str, Bilingual] = {
    "380": ("Facture", "Invoice"),
    "381": ("Avoir", "Credit note"),
    "384": ("Facture rectificative", "Corrected invoice"),
    "386": ("Facture d'acompte", "Prepayment invoice"),
    "389": ("Facture (autofacturation)", "Self-billed invoice"),
    "261": ("Avoir (autofacturation)", "Self-billed credit note"),
    "393": ("Facture affacturée", "Factored invoice"),
    "396": ("Avoir affacturé", "Factored credit note"),
}
DEFAULT_INVOICE_TITLE: Bilingual = DOCUMENT_TITLES["380"]
DEFAULT_CREDIT_NOTE_TITLE: Bilingual = DOCUMENT_TITLES["381"]

# First letter of the French business frame (BT-23: B1, S1, M1...) -> category of the operation,
# a mention the 2022 reform decree added to CGI annex II art. 242 nonies A.
OPERATION_CATEGORIES: dict[str, Bilingual] = {
    "B": ("Livraison de biens", "Supply of goods"),
    "S": ("Prestation de services", "Supply of services"),
    "M": ("Opération mixte (biens et services)", "Mixed supply of goods and services"),
}

# UNTDID 5305 VAT category codes (BT-118, BT-151). "Autoliquidation" is itself the mention
# CGI annex II art. 242 nonies A requires for reverse-charged supplies.
VAT_CATEGORIES: dict[str, Bilingual] = {
    "S": ("Soumis à la TVA", "Standard rated"),
    "Z": ("Taux zéro", "Zero rated"),
    "E": ("Exonération", "Exempt"),
    "AE": ("Autoliquidation", "Reverse charge"),
    "K": ("Livraison intracommunautaire exonérée", "Intra-community supply, exempt"),
    "G": ("Exportation hors UE exonérée", "Export outside the EU, exempt"),
    "O": ("Hors champ de la TVA", "Not subject to VAT"),
    "L": ("IGIC (Canaries)", "Canary Islands IGIC"),
    "M": ("IPSI (Ceuta et Melilla)", "Ceuta and Melilla IPSI"),
}

# UNTDID 4461 payment means codes (BT-81) in common use.
PAYMENT_MEANS: dict[str, Bilingual] = {
    "1": ("Non précisé", "Not defined"),
    "10": ("Espèces", "Cash"),
    "20": ("Chèque", "Cheque"),
    "30": ("Virement", "Credit transfer"),
    "42": ("Virement sur compte bancaire", "Payment to bank account"),
    "48": ("Carte bancaire", "Bank card"),
    "49": ("Prélèvement", "Direct debit"),
    "57": ("Virement permanent", "Standing agreement"),
    "58": ("Virement SEPA", "SEPA credit transfer"),
    "59": ("Prélèvement SEPA", "SEPA direct debit"),
    "97": ("Compensation", "Clearing between partners"),
    "ZZZ": ("Autre", "Other"),
}

# UN/ECE Recommendation 20/21 unit codes (BT-130, BT-150) in common use.
UNITS: dict[str, Bilingual] = {
    "C62": ("unité", "unit"),
    "H87": ("pièce", "piece"),
    "EA": ("unité", "each"),
    "XPP": ("pièce", "piece"),
    "LS": ("forfait", "lump sum"),
    "SET": ("lot", "set"),
    "XPK": ("colis", "package"),
    "XBX": ("boîte", "box"),
    "MIN": ("minute", "minute"),
    "HUR": ("heure", "hour"),
    "DAY": ("jour", "day"),
    "WEE": ("semaine", "week"),
    "MON": ("mois", "month"),
    "ANN": ("an", "year"),
    "GRM": ("g", "g"),
    "KGM": ("kg", "kg"),
    "TNE": ("t", "t"),
    "MTR": ("m", "m"),
    "KMT": ("km", "km"),
    "MTK": ("m²", "m²"),
    "MTQ": ("m³", "m³"),
    "LTR": ("l", "l"),
    "KWH": ("kWh", "kWh"),
}

# ISO 3166-1 countries a French invoice names most; any other shows its code.
COUNTRIES: dict[str, Bilingual] = {
    "FR": ("France", "France"),
    "BE": ("Belgique", "Belgium"),
    "LU": ("Luxembourg", "Luxembourg"),
    "DE": ("Allemagne", "Germany"),
    "CH": ("Suisse", "Switzerland"),
    "MC": ("Monaco", "Monaco"),
    "IT": ("Italie", "Italy"),
    "ES": ("Espagne", "Spain"),
    "PT": ("Portugal", "Portugal"),
    "NL": ("Pays-Bas", "Netherlands"),
    "AT": ("Autriche", "Austria"),
    "IE": ("Irlande", "Ireland"),
    "GB": ("Royaume-Uni", "United Kingdom"),
    "US": ("États-Unis", "United States"),
}


def texts_for(language: Language) -> dict[str, str]:
    return {key: pick(pair, language) for key, pair in TEXTS.items()}
