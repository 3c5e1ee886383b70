"""French and English texts of the onboarding pages, the mandate PDF and the one-time-code e-mail.

Texts are looked up by key; `{name}` placeholders are filled with the values given (and, in
templates, auto-escaped like any other output). An error code of a service is also a key, so the
page shows the client a sentence and not a code.
"""

from typing import Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")

_FR = {
    "language.other": "English",
    "language.other_code": "en",
    "page.title": "Mise en place de la facturation électronique",
    "page.intro": "{sponsor} vous propose de recevoir vos factures électroniques par la plateforme agréée "
    "Coursier. Quelques minutes suffisent : identifiez votre entreprise{kyc_step}{signature_step}.",
    "page.intro.kyc": ", confirmez l'identité du signataire",
    "page.intro.signature": ", puis signez le mandat",
    "page.footer": "Service opéré par Coursier, plateforme agréée (matricule {matricule}), pour {sponsor}.",
    "step.company": "Entreprise",
    "step.kyc": "Signataire",
    "step.signature": "Mandat",
    "step.done": "Terminé",
    "company.heading": "Identifiez votre entreprise",
    "company.siren": "SIREN (9 chiffres)",
    "company.siret": "SIRET d'un établissement (facultatif, 14 chiffres)",
    "company.routing_code": "Code de routage (facultatif, avec un SIRET)",
    "company.hint": "Sans SIRET, le mandat couvre toute l'entreprise (ligne d'annuaire SIREN).",
    "company.submit": "Rechercher",
    "company.confirm_heading": "Est-ce bien votre entreprise ?",
    "company.name": "Raison sociale",
    "company.address": "Adresse",
    "company.confirm": "Oui, c'est mon entreprise",
    "company.change": "Non, modifier",
    "kyc.heading": "Qui signe pour l'entreprise ?",
    "kyc.first_name": "Prénom",
    "kyc.last_name": "Nom",
    "kyc.role": "Fonction (par exemple gérant, DAF)",
    "kyc.email": "Adresse e-mail professionnelle",
    "kyc.submit": "Recevoir un code par e-mail",
    "kyc.code_heading": "Saisissez le code reçu",
    "kyc.code_sent": "Un code à 6 chiffres a été envoyé à {email}. Il est valable 10 minutes.",
    "kyc.code": "Code à 6 chiffres",
    "kyc.verify": "Valider",
    "kyc.resend": "Envoyer un nouveau code",
    "kyc.change_email": "Modifier les informations du signataire",
    "signature.heading": "Signez le mandat",
    "signature.read": "Lisez le mandat ci-dessous avant de le signer ; c'est le document PDF que vous signez.",
    "signature.open_pdf": "Ouvrir le mandat (PDF)",
    "signature.document_hash": "Empreinte SHA-256 du document présenté :",
    "signature.full_name": "Tapez votre nom complet",
    "signature.consent": "Je déclare avoir le pouvoir d'engager l'entreprise, j'ai lu le mandat et je l'accepte. "
    "Je signe électroniquement en tapant mon nom.",
    "signature.submit": "Signer le mandat",
    "done.heading": "C'est fait !",
    "done.signed": "Le mandat est signé. Coursier inscrit maintenant votre entreprise à l'annuaire national de la "
    "facturation électronique ; vous recevrez vos factures par {sponsor}.",
    "done.unsigned": "Vos informations sont enregistrées. {sponsor} finalisera le mandat avec vous.",
    "done.download": "Télécharger le mandat signé (PDF)",
    "done.return": "Revenir à {sponsor}",
    "gone.heading": "Ce lien n'est plus utilisable",
    "gone.expired": "Ce lien a expiré. Demandez-en un nouveau à {sponsor}.",
    "gone.superseded": "Un lien plus récent a été envoyé pour votre entreprise ; ce lien-ci ne sert plus. Utilisez le "
    "dernier lien reçu, ou demandez-en un nouveau à {sponsor}.",
    "gone.used": "Ce lien a déjà été utilisé jusqu'au bout. Pour toute modification, contactez {sponsor}.",
    "gone.unknown": "Ce lien n'existe pas. Vérifiez l'adresse, ou demandez un nouveau lien à votre fournisseur.",
    "forbidden.heading": "Formulaire expiré",
    "forbidden.csrf": "Ce formulaire n'est plus valable. Rechargez la page et recommencez.",
    "error.heading": "Une erreur est survenue",
    "error.generic": "Votre demande n'a pas pu être traitée. Réessayez dans un instant.",
    # Error codes of the services, as the client reads them.
    "invalid_siren": "Ce SIREN n'est pas valide : 9 chiffres avec une clé de contrôle.",
    "invalid_siret": "Ce SIRET n'est pas valide : 14 chiffres avec une clé de contrôle.",
    "siret_not_in_siren": "Ce SIRET appartient à une autre entreprise que ce SIREN.",
    "invalid_scope": "Un code de routage doit être accompagné du SIRET de son établissement.",
    "invalid_routing_code": "Un code de routage compte 1 à 100 lettres, chiffres ou . _ -",
    "company_not_found": "Aucune entreprise n'est inscrite au répertoire sous ce SIREN.",
    "company_ceased": "Cette entreprise est indiquée comme cessée au répertoire.",
    "establishment_not_found": "Cet établissement n'est pas inscrit au répertoire.",
    "establishment_closed": "Cet établissement est fermé au répertoire : indiquez un établissement actif.",
    "register_unavailable": "Le répertoire des entreprises ne répond pas. Réessayez dans un instant.",
    "directory_line_taken": "Cette ligne d'annuaire est déjà servie par une plateforme. Si vous changez de "
    "plateforme, votre prestataire actuel doit d'abord clore son mandat.",
    "field_required": "Renseignez tous les champs.",
    "invalid_email": "Cette adresse e-mail n'est pas valide.",
    "otp_invalid": "Ce code n'est pas le bon. Il vous reste {tries_left} essai(s).",
    "otp_expired": "Ce code a expiré. Demandez-en un nouveau.",
    "otp_exhausted": "Trop d'essais avec ce code. Demandez-en un nouveau.",
    "otp_missing": "Aucun code n'est en attente. Demandez-en un nouveau.",
    "otp_send_limit": "Trop de codes ont été demandés pour ce lien. Demandez un nouveau lien à {sponsor}.",
    "mail_not_sent": "L'e-mail n'a pas pu être envoyé. Réessayez dans un instant.",
    "signature_name_mismatch": "Tapez votre nom tel que vous l'avez indiqué : {expected}.",
    "signature_consent_missing": "Cochez la case pour donner votre accord.",
    "signature_document_changed": "Le mandat présenté a changé. Relisez-le avant de signer.",
    "mandate_not_signable": "Ce mandat ne peut plus être signé : il a été révoqué. Contactez {sponsor}.",
    # The one-time-code e-mail.
    "mail.subject": "{code} : votre code de confirmation",
    "mail.body": "Bonjour {first_name},\n\nVotre code de confirmation pour le mandat de facturation électronique "
    "de {company} est : {code}\n\nIl est valable 10 minutes. Si vous n'êtes pas à l'origine de cette "
    "demande, ignorez ce message.\n\n{sponsor}",
    # The mandate PDF.
    "pdf.title": "Mandat de réception des factures électroniques",
    "pdf.reference": "Référence du mandat",
    "pdf.parties": "Les parties",
    "pdf.client": "Le client (mandant)",
    "pdf.platform": "La plateforme agréée (mandataire)",
    "pdf.platform_text": "Coursier, plateforme agréée par l'administration fiscale, matricule {matricule}.",
    "pdf.sponsor": "Le prestataire de service",
    "pdf.sponsor_text": "{sponsor}, qui donne au client l'accès aux services de la plateforme dans ses logiciels.",
    "pdf.siren": "SIREN",
    "pdf.siret": "SIRET",
    "pdf.scope": "Ligne(s) d'annuaire couvertes",
    "pdf.scope.SIREN": "Toute l'entreprise (SIREN)",
    "pdf.scope.SIREN_SUFFIXE": "SIREN et suffixe",
    "pdf.scope.SIREN_SIRET": "Un établissement (SIREN + SIRET)",
    "pdf.scope.SIREN_SIRET_CODEROUTAGE": "Un service d'un établissement (SIREN + SIRET + code de routage)",
    "pdf.routing_code": "Code de routage",
    "pdf.address_id": "Adresse électronique (schéma 0225)",
    "pdf.duration": "Durée",
    "pdf.start": "Prend effet le {start}.",
    "pdf.end": "Prend fin le {end}.",
    "pdf.open_ended": "Sans date de fin.",
    "pdf.revocable": "Le client peut révoquer le mandat à tout moment, auprès de son prestataire ; la ligne "
    "d'annuaire est alors close.",
    "pdf.terms": "Ce que la plateforme fait pour le client",
    "pdf.term.receive": "Recevoir, au nom du client, les factures électroniques adressées à la ligne d'annuaire "
    "ci-dessus, et les mettre à sa disposition par l'intermédiaire du prestataire.",
    "pdf.term.directory": "Inscrire cette ligne à l'annuaire national de la facturation électronique, avec la "
    "plateforme comme destinataire, et la clore à la fin du mandat.",
    "pdf.term.statuses": "Transmettre les statuts du cycle de vie des factures à l'émetteur et au portail public "
    "de facturation (PPF), ainsi que les données fiscales dues à l'administration.",
    "pdf.rights": "Les droits du client",
    "pdf.right.data": "Le client reste propriétaire de ses factures et de ses données ; il peut en obtenir copie "
    "à tout moment.",
    "pdf.right.change": "Il peut changer de plateforme agréée à tout moment, en révoquant ce mandat.",
    "pdf.right.privacy": "Les données personnelles du signataire servent seulement à prouver la signature ; il "
    "dispose des droits d'accès, de rectification et d'effacement prévus par le RGPD.",
    "pdf.issued": "Document établi le {issued} (UTC).",
    "evidence.title": "Preuve de signature électronique",
    "evidence.intro": "Signature électronique simple : le signataire a tapé son nom et donné son accord sur la "
    "page de mandat, après confirmation de son adresse e-mail par un code à usage unique.",
    "evidence.intro_no_kyc": "Signature électronique simple : le signataire a tapé son nom et donné son accord "
    "sur la page de mandat.",
    "evidence.signer": "Signataire",
    "evidence.role": "Fonction",
    "evidence.email": "Adresse e-mail",
    "evidence.email_verified": "Adresse e-mail confirmée par code le",
    "evidence.not_verified": "non vérifiée",
    "evidence.signed_at": "Signé le (UTC)",
    "evidence.ip": "Adresse IP",
    "evidence.user_agent": "Navigateur",
    "evidence.document": "SHA-256 du mandat présenté (pages précédentes)",
    "evidence.consent": "Accord donné",
    "evidence.link": "Lien d'onboarding",
}

_EN = {
    "language.other": "Français",
    "language.other_code": "fr",
    "page.title": "Setting up e-invoicing",
    "page.intro": "{sponsor} offers to receive your e-invoices through the approved platform Coursier. It takes a "
    "few minutes: identify your company{kyc_step}{signature_step}.",
    "page.intro.kyc": ", confirm who signs",
    "page.intro.signature": ", then sign the mandate",
    "page.footer": "Service run by Coursier, approved platform (registration {matricule}), for {sponsor}.",
    "step.company": "Company",
    "step.kyc": "Signatory",
    "step.signature": "Mandate",
    "step.done": "Done",
    "company.heading": "Identify your company",
    "company.siren": "SIREN (9 digits)",
    "company.siret": "SIRET of an establishment (optional, 14 digits)",
    "company.routing_code": "Routing code (optional, with a SIRET)",
    "company.hint": "Without a SIRET the mandate covers the whole company (SIREN directory line).",
    "company.submit": "Look up",
    "company.confirm_heading": "Is this your company?",
    "company.name": "Legal name",
    "company.address": "Address",
    "company.confirm": "Yes, this is my company",
    "company.change": "No, change",
    "kyc.heading": "Who signs for the company?",
    "kyc.first_name": "First name",
    "kyc.last_name": "Last name",
    "kyc.role": "Role (for example managing director, CFO)",
    "kyc.email": "Work e-mail address",
    "kyc.submit": "Send me a code by e-mail",
    "kyc.code_heading": "Enter the code you received",
    "kyc.code_sent": "A 6-digit code was sent to {email}. It is valid for 10 minutes.",
    "kyc.code": "6-digit code",
    "kyc.verify": "Confirm",
    "kyc.resend": "Send a new code",
    "kyc.change_email": "Change the signatory's details",
    "signature.heading": "Sign the mandate",
    "signature.read": "Read the mandate below before you sign it; the PDF document is what you sign.",
    "signature.open_pdf": "Open the mandate (PDF)",
    "signature.document_hash": "SHA-256 fingerprint of the document shown:",
    "signature.full_name": "Type your full name",
    "signature.consent": "I declare that I may commit the company, I have read the mandate and I accept it. I sign "
    "electronically by typing my name.",
    "signature.submit": "Sign the mandate",
    "done.heading": "All done!",
    "done.signed": "The mandate is signed. Coursier is now registering your company in the national e-invoicing "
    "directory; you will receive your invoices through {sponsor}.",
    "done.unsigned": "Your details are recorded. {sponsor} will complete the mandate with you.",
    "done.download": "Download the signed mandate (PDF)",
    "done.return": "Back to {sponsor}",
    "gone.heading": "This link can no longer be used",
    "gone.expired": "This link has expired. Ask {sponsor} for a new one.",
    "gone.superseded": "A newer link was sent for your company; this one is no longer in use. Use the latest link "
    "you received, or ask {sponsor} for a new one.",
    "gone.used": "This link was already used to the end. For any change, contact {sponsor}.",
    "gone.unknown": "This link does not exist. Check the address, or ask your provider for a new link.",
    "forbidden.heading": "Form expired",
    "forbidden.csrf": "This form is no longer valid. Reload the page and try again.",
    "error.heading": "Something went wrong",
    "error.generic": "Your request could not be completed. Try again in a moment.",
    "invalid_siren": "This SIREN is not valid: 9 digits with a check digit.",
    "invalid_siret": "This SIRET is not valid: 14 digits with a check digit.",
    "siret_not_in_siren": "This SIRET belongs to another company than this SIREN.",
    "invalid_scope": "A routing code needs the SIRET of its establishment.",
    "invalid_routing_code": "A routing code is 1 to 100 letters, digits or . _ -",
    "company_not_found": "No company is registered under this SIREN.",
    "company_ceased": "This company is registered as ceased.",
    "establishment_not_found": "This establishment is not in the register.",
    "establishment_closed": "This establishment is closed in the register: give an active establishment.",
    "register_unavailable": "The company register does not answer. Try again in a moment.",
    "directory_line_taken": "This directory line is already served by a platform. To change platforms, your "
    "current provider must first end its mandate.",
    "field_required": "Fill in every field.",
    "invalid_email": "This e-mail address is not valid.",
    "otp_invalid": "This code is not the right one. {tries_left} attempt(s) left.",
    "otp_expired": "This code has expired. Ask for a new one.",
    "otp_exhausted": "Too many attempts with this code. Ask for a new one.",
    "otp_missing": "No code is waiting. Ask for a new one.",
    "otp_send_limit": "Too many codes were asked for with this link. Ask {sponsor} for a new link.",
    "mail_not_sent": "The e-mail could not be sent. Try again in a moment.",
    "signature_name_mismatch": "Type your name as you gave it: {expected}.",
    "signature_consent_missing": "Tick the box to give your consent.",
    "signature_document_changed": "The mandate shown has changed. Read it again before signing.",
    "mandate_not_signable": "This mandate can no longer be signed: it was revoked. Contact {sponsor}.",
    "mail.subject": "{code}: your confirmation code",
    "mail.body": "Hello {first_name},\n\nYour confirmation code for the e-invoicing mandate of {company} is: "
    "{code}\n\nIt is valid for 10 minutes. If you did not ask for it, ignore this message.\n\n{sponsor}",
    "pdf.title": "Mandate to receive e-invoices",
    "pdf.reference": "Mandate reference",
    "pdf.parties": "The parties",
    "pdf.client": "The client (principal)",
    "pdf.platform": "The approved platform (agent)",
    "pdf.platform_text": "Coursier, platform approved by the French tax administration, registration {matricule}.",
    "pdf.sponsor": "The service provider",
    "pdf.sponsor_text": "{sponsor}, which gives the client access to the platform's services in its software.",
    "pdf.siren": "SIREN",
    "pdf.siret": "SIRET",
    "pdf.scope": "Directory line(s) covered",
    "pdf.scope.SIREN": "The whole company (SIREN)",
    "pdf.scope.SIREN_SUFFIXE": "SIREN and suffix",
    "pdf.scope.SIREN_SIRET": "One establishment (SIREN + SIRET)",
    "pdf.scope.SIREN_SIRET_CODEROUTAGE": "One department of an establishment (SIREN + SIRET + routing code)",
    "pdf.routing_code": "Routing code",
    "pdf.address_id": "Electronic address (scheme 0225)",
    "pdf.duration": "Duration",
    "pdf.start": "Starts on {start}.",
    "pdf.end": "Ends on {end}.",
    "pdf.open_ended": "No end date.",
    "pdf.revocable": "The client may revoke the mandate at any time, through its provider; the directory line is "
    "then closed.",
    "pdf.terms": "What the platform does for the client",
    "pdf.term.receive": "Receive, on the client's behalf, the e-invoices addressed to the directory line above, and "
    "make them available to it through the provider.",
    "pdf.term.directory": "Register this line in the national e-invoicing directory, with the platform as "
    "recipient, and close it when the mandate ends.",
    "pdf.term.statuses": "Send the invoices' lifecycle statuses to the issuer and to the public invoicing portal "
    "(PPF), and the tax data owed to the administration.",
    "pdf.rights": "The client's rights",
    "pdf.right.data": "The client keeps ownership of its invoices and data, and may get a copy of them at any time.",
    "pdf.right.change": "It may change approved platform at any time by revoking this mandate.",
    "pdf.right.privacy": "The signatory's personal data serve only to prove the signature; the GDPR rights of "
    "access, rectification and erasure apply.",
    "pdf.issued": "Document issued on {issued} (UTC).",
    "evidence.title": "Electronic signature evidence",
    "evidence.intro": "Simple electronic signature: the signatory typed their name and gave their consent on the "
    "mandate page, after confirming their e-mail address with a one-time code.",
    "evidence.intro_no_kyc": "Simple electronic signature: the signatory typed their name and gave their consent on "
    "the mandate page.",
    "evidence.signer": "Signatory",
    "evidence.role": "Role",
    "evidence.email": "E-mail address",
    "evidence.email_verified": "E-mail address confirmed by code on",
    "evidence.not_verified": "not verified",
    "evidence.signed_at": "Signed on (UTC)",
    "evidence.ip": "IP address",
    "evidence.user_agent": "Browser",
    "evidence.document": "SHA-256 of the mandate shown (previous pages)",
    "evidence.consent": "Consent given",
    "evidence.link": "Onboarding link",
}

_TEXTS: dict[str, dict[str, str]] = {"fr": _FR, "en": _EN}


def language_or_default(value: str | None, default: Language = "fr") -> Language:
    return value if value in LANGUAGES else default  # type: ignore[return-value]


def text(language: Language, key: str, **values) -> str:
    """The sentence for `key`; an unknown key comes back as it is (a code without a sentence yet)."""
    template = _TEXTS[language].get(key)
    if template is None:
        return key
    return template.format(**values) if values else template


def has_text(key: str) -> bool:
    return key in _FR
