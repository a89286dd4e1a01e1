"""PHI encryption at rest: AES-256-GCM with key ids, and keyed blind indexes for exact-match search.

CAREDESK_ENCRYPTION_KEYS is "kid:base64key[,kid:base64key…]"; the first key encrypts, all decrypt, so a
key is rotated by prepending a new one and running `caredesk keys rotate`. A stored value looks like
"enc1:<kid>:<base64(nonce | ciphertext+tag)>"; the field name is bound in as associated data so a
ciphertext cannot be copied from one column into another.
"""

import base64
import datetime
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

PREFIX = "enc1"


class DecryptionError(Exception):
    pass


@functools.cache
def _keyring(raw: str) -> tuple[str, dict[str, AESGCM]]:
    ring: dict[str, AESGCM] = {}
    active = None
    for item in raw.split(","):
        kid, _, b64 = item.strip().partition(":")
        key = base64.urlsafe_b64decode(b64)
        if len(key) != 32 or not kid:
            raise ValueError("each encryption key must be 'id:base64' of 32 bytes")
        ring[kid] = AESGCM(key)
        active = active or kid
    if active is None:
        raise ValueError("no encryption key configured")
    return active, ring


def active_key_id() -> str:
    return _keyring(settings.ENCRYPTION_KEYS)[0]


def encrypt(plaintext: str, context: str) -> str:
    kid, ring = _keyring(settings.ENCRYPTION_KEYS)
    nonce = os.urandom(12)
    sealed = ring[kid].encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}:{kid}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(stored: str, context: str) -> str:
    try:
        prefix, kid, b64 = stored.split(":", 2)
        aes = _keyring(settings.ENCRYPTION_KEYS)[1][kid]
        blob = base64.b64decode(b64)
        return aes.decrypt(blob[:12], blob[12:], context.encode()).decode()
    except Exception as exc:  # never echo the stored value: it is PHI ciphertext at best
        raise DecryptionError(f"cannot decrypt {context}") from exc


def key_id_of(stored: str) -> str | None:
    parts = stored.split(":", 2) if stored else []
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def blind_index(value: str, purpose: str) -> str:
    """Deterministic keyed hash, so equality search works without storing the value."""
    key = base64.urlsafe_b64decode(settings.BLIND_INDEX_KEY)
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding AES-GCM ciphertext; Python code sees plain str.

    Values cannot be filtered or ordered in SQL; pair with a blind index column where search needs it.
    """

    def _context(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value, self._context())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), self._context())


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted as ISO text."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return datetime.date.fromisoformat(text) if text else None

    def to_python(self, value):
        if value is None or isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(str(value))

    def get_prep_value(self, value):
        if value is None or value == "":
            return None
        return super().get_prep_value(self.to_python(value).isoformat())
