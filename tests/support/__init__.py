"""What tests share beyond tests/conftest.py: invoice factories (`factories`), the invoicing
parties and sandbox fixtures (`invoicing`) and a webhook receiver (`webhooks`), the last two
registered as pytest plugins by tests/conftest.py."""
