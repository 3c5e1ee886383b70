"""Sealing small secrets: what a key set seals only a key set holding its key unseals, rotation, and
the data dir's key made once."""

import base64
import logging
import os
import stat
import threading

import pytest

from coursier.kit.sealed import InvalidKeySet, Keyring, SecretKeyMissing, key_id

# Fixed keys: the test ids (xdist compares them between workers) are the same in every process.
OLD, NEW = (base64.urlsafe_b64encode(bytes([n]) * 32).decode() for n in (1, 2))


def test_a_sealed_value_is_not_the_secret_and_unseals_to_it():
    keyring = Keyring.parse(OLD, "test")
    secret = os.urandom(32)
    sealed = keyring.seal(secret)
    assert secret not in sealed and sealed.startswith(key_id(OLD.encode()).encode() + b":")
    assert keyring.seal(secret) != sealed  # a fresh IV each time: equal secrets do not show
    assert keyring.unseal(sealed) == secret


def test_another_key_set_refuses_with_a_typed_error_and_logs_the_key_needed(caplog):
    sealed = Keyring.parse(OLD, "test").seal(b"totp seed")
    caplog.set_level(logging.ERROR, logger="coursier.kit.sealed")
    with pytest.raises(SecretKeyMissing) as refused:
        Keyring.parse(NEW, "COURSIER_SECRET_KEYS").unseal(sealed)
    assert refused.value.status == 503 and refused.value.code == "secret_key_missing"
    [record] = caplog.records
    assert f"sealed with key {key_id(OLD.encode())}" in record.getMessage()
    assert f"COURSIER_SECRET_KEYS (keys {key_id(NEW.encode())}) lacks" in record.getMessage()


def test_an_altered_value_is_refused_not_decrypted_into_garbage(caplog):
    keyring = Keyring.parse(OLD, "test")
    sealed = bytearray(keyring.seal(b"signing key"))
    sealed[-5] ^= 1
    with pytest.raises(SecretKeyMissing):
        keyring.unseal(bytes(sealed))
    assert "the stored value was altered" in caplog.text
    caplog.clear()
    with pytest.raises(SecretKeyMissing):
        keyring.unseal(b"JBSWY3DPEHPK3PXP:a seed in clear")
    assert "not a sealed value" in caplog.text and "JBSWY3DPEHPK3PXP" not in caplog.text
    assert OLD not in repr(keyring)


def test_rotation_the_first_key_seals_every_key_unseals():
    old = Keyring.parse(OLD, "test")
    sealed_before = old.seal(b"secret")
    rotating = Keyring.parse(f"{NEW}, {OLD}", "test")
    assert rotating.unseal(sealed_before) == b"secret"
    resealed = rotating.reseal(sealed_before)
    assert resealed.startswith(key_id(NEW.encode()).encode()) and rotating.reseal(resealed) is None
    rotated = Keyring.parse(NEW, "test")
    assert rotated.unseal(resealed) == b"secret"
    with pytest.raises(SecretKeyMissing):
        rotated.unseal(sealed_before)


@pytest.mark.parametrize("keys", ["", " , ", "not-a-key", f"{OLD},tooshort"])
def test_keys_that_are_not_fernet_keys_are_refused(keys):
    with pytest.raises(InvalidKeySet, match="COURSIER_SECRET_KEYS"):
        Keyring.parse(keys, "COURSIER_SECRET_KEYS")


def test_the_setting_is_used_before_the_data_dir(tmp_path):
    keyring = Keyring.load(f"{NEW},{OLD}", tmp_path)
    assert keyring.source == "COURSIER_SECRET_KEYS" and keyring.sealing_key_id == key_id(NEW.encode())
    assert not (tmp_path / "secret.key").exists()


def test_without_the_setting_a_key_is_made_once_in_the_data_dir_private(tmp_path):
    data_dir = tmp_path / "data"
    first = Keyring.load(None, data_dir)
    key_file = data_dir / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.source == str(key_file) and first.keys == (key_file.read_bytes().strip(),)
    assert Keyring.load(None, data_dir).unseal(first.seal(b"kept")) == b"kept"
    assert os.listdir(data_dir) == ["secret.key"]  # no draft left behind


def test_processes_starting_together_end_with_one_key(tmp_path):
    start = threading.Barrier(8)
    loaded = []

    def load() -> None:
        start.wait()
        loaded.append(Keyring.load(None, tmp_path).keys)

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loaded) == 8 and len(set(loaded)) == 1
    assert os.listdir(tmp_path) == ["secret.key"]
