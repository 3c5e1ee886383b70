"""Small secrets the platform must use again (webhook signing keys, TOTP seeds), sealed at rest.

A sealed value is `<key id>:<Fernet token>`: AES-128-CBC with an HMAC-SHA256 over it, so a value
altered or read with another key is refused, never decrypted into garbage. The key id (the start
of the key's SHA-256, which tells nothing of the key) names the key that sealed it: a value whose
key is gone is reported with the key it needs, and a rotation knows which values are still sealed
with an older key.

The keys are not in the database: they come from COURSIER_SECRET_KEYS (comma-separated Fernet
keys; the first seals, all unseal), or else from `<data dir>/secret.key`, made once.
"""

import contextlib
import hashlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from coursier.kit.errors import ConfigurationError, Unavailable

log = logging.getLogger(__name__)

SETTING = "COURSIER_SECRET_KEYS"
KEY_FILE_NAME = "secret.key"
_SEPARATOR = b":"
_KEY_ID = re.compile(rb"[0-9a-f]{8}")


class SecretKeyMissing(Unavailable):
    """A stored secret cannot be unsealed with the keys this process has: one was removed from the
    key set (or the process reads another data dir's key file), or the value was altered."""

    code = "secret_key_missing"
    title = "A stored secret cannot be read"


class InvalidKeySet(ConfigurationError):
    """The configured keys are not Fernet keys."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


@dataclass(frozen=True)
class Keyring:
    """Fernet keys, the first sealing, each unsealing what it sealed; `source` says where they came from."""

    keys: tuple[bytes, ...] = field(repr=False)
    source: str
    _fernets: dict[str, Fernet] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise InvalidKeySet(f"{self.source}: no key")
        fernets = {}
        for position, key in enumerate(self.keys, start=1):
            try:
                fernets[key_id(key)] = Fernet(key)
            except ValueError as exc:
                raise InvalidKeySet(
                    f"{self.source}: key {position} is not a Fernet key (32 bytes in URL-safe base64; "
                    "`coursier secrets new-key` makes one)"
                ) from exc
        object.__setattr__(self, "_fernets", fernets)

    @classmethod
    def parse(cls, keys: str, source: str) -> "Keyring":
        return cls(tuple(key.strip().encode() for key in keys.split(",") if key.strip()), source)

    @classmethod
    def load(cls, configured: str | None, data_dir: Path) -> "Keyring":
        """The keys of the setting when it is set, else the data dir's key, made if missing."""
        if configured is not None:
            return cls.parse(configured, SETTING)
        path = data_dir / KEY_FILE_NAME
        return cls.parse(_read_or_make_key_file(path).decode(), str(path))

    @property
    def sealing_key_id(self) -> str:
        return key_id(self.keys[0])

    def seal(self, plain: bytes) -> bytes:
        return self.sealing_key_id.encode() + _SEPARATOR + self._fernets[self.sealing_key_id].encrypt(plain)

    def unseal(self, sealed: bytes) -> bytes:
        sealed_with, separator, token = bytes(sealed).partition(_SEPARATOR)
        if not separator or not _KEY_ID.fullmatch(sealed_with):  # nothing of it is logged: it may be a secret
            raise _unreadable("it is not a sealed value (kept in clear, or damaged)")
        needed = sealed_with.decode()
        fernet = self._fernets.get(needed)
        if fernet is None:
            raise _unreadable(f"it was sealed with key {needed}, which {self.described()} lacks: add that key back")
        try:
            return fernet.decrypt(token)
        except InvalidToken:
            raise _unreadable(
                f"it does not match key {needed} of {self.described()}: the stored value was altered"
            ) from None

    def reseal(self, sealed: bytes) -> bytes | None:
        """The value sealed with the first key, or None when it already is."""
        if bytes(sealed).partition(_SEPARATOR)[0] == self.sealing_key_id.encode():
            return None
        return self.seal(self.unseal(sealed))

    def described(self) -> str:
        return f"{self.source} (keys {', '.join(self._fernets)})"


def _unreadable(why: str) -> SecretKeyMissing:
    """The error for the caller, and for the operator a log line naming the key that is needed."""
    log.error("A stored secret cannot be unsealed: %s", why)
    return SecretKeyMissing(
        "A secret stored for this request cannot be read with this server's keys; the operator has to "
        "restore the key it was sealed with"
    )


def _read_or_make_key_file(path: Path) -> bytes:
    """The key file's content; a new key when there is none. The key is written whole in a private
    temporary file (mkstemp makes it 0600) and linked in place: two processes starting together
    both link, one wins, and both read the winner's key."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{KEY_FILE_NAME}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(f"{new_key()}\n".encode())
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: its key is the one
            os.link(draft, path)
    finally:
        os.unlink(draft)
    return path.read_bytes()
