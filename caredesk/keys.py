"""Local key material for the embedded demo and the test suite.

Production supplies CAREDESK_SECRET_KEY and CAREDESK_ENCRYPTION_KEYS from its secret store; the demo
creates them once under the data directory, readable by the owner only.
"""

import base64
import json
import os
import secrets
from pathlib import Path


def new_encryption_key(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


def load_or_create_local_keys(data_dir: Path) -> dict:
    path = data_dir / "keys.json"
    if path.exists():
        return json.loads(path.read_text())
    data_dir.mkdir(parents=True, exist_ok=True)
    keys = {
        "secret_key": secrets.token_urlsafe(50),
        "encryption_keys": new_encryption_key("k1"),
        "blind_index_key": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(keys, fh)
    return keys
