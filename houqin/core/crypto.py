"""Personal data protection (PIPL, DOMAIN.md §10): encryption at rest and masking."""

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


def _fernet() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEY.encode())


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # A key mismatch must not crash pages; show nothing rather than ciphertext.
        return ""


def digest(value: str) -> str:
    """Keyed hash for uniqueness and exact lookups of an encrypted value (never reversible)."""
    key = settings.FIELD_ENCRYPTION_KEY.encode()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stores Fernet ciphertext; Python code sees the plain value. Not filterable by value:
    keep a `digest()` beside it for lookups."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def mask_phone(value: str | None) -> str:
    """13800000000 -> 138****0000; short numbers keep only their last 2 digits."""
    if not value:
        return ""
    value = str(value)
    if len(value) >= 7:
        return f"{value[:3]}****{value[-4:]}"
    return "*" * max(len(value) - 2, 0) + value[-2:]


def mask_id_number(value: str | None) -> str:
    """450102199001011234 -> 4501**********1234."""
    if not value:
        return ""
    value = str(value)
    if len(value) > 8:
        return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
    return "*" * len(value)
