"""What tests share beyond tests/conftest.py: invoice factories (`factories`) and the invoicing
parties and sandbox fixtures (`invoicing`, registered as a pytest plugin by tests/conftest.py)."""
