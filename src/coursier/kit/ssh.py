"""asyncssh, imported once without its warning about DSA keys (cryptography deprecates them; our
keys are ed25519): every command would print it otherwise."""

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="DSA is deprecated")
    import asyncssh

__all__ = ["asyncssh"]
