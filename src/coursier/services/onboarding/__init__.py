"""Onboarding: a sponsor hands its client a link; the client identifies its company, proves the
signatory's e-mail with a one-time code, and signs its mandate.

`links` (create, supersede, expire, open, CSRF, language, steps), `identification` (the register
look-up and the reserved directory line), `kyc` (the signatory and the one-time code), `signing`
(the mandate PDF and its simple electronic signature).
"""
