"""The process's keys, as the sealed columns use them: the setting when set, else the data dir's key."""

import base64

from coursier.config import get_settings
from coursier.db.sealed import process_keyring

KEY = base64.urlsafe_b64encode(b"k" * 32).decode()


def test_the_process_seals_with_the_setting_else_with_the_data_dir_key(monkeypatch, secret_keys, tmp_path):
    assert secret_keys(KEY).source == "COURSIER_SECRET_KEYS"
    monkeypatch.setenv("COURSIER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("COURSIER_SECRET_KEYS")
    get_settings.cache_clear()
    process_keyring.cache_clear()
    keyring = process_keyring()
    assert keyring.source == str(tmp_path / "secret.key")
    assert process_keyring() is keyring  # read once per process
