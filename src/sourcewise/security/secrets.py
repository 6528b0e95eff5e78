"""Password hashing (argon2id) and random tokens stored only as hashes.

API and session tokens are 32 random bytes; the store keeps their SHA-256, which is enough for
a random secret of that size (unlike a password, it cannot be guessed from a dictionary).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets as _secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()
TOKEN_PREFIX = "sw_"


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


# A fixed hash to verify against when the user does not exist, so that the time taken does
# not tell whether a username is registered.
DUMMY_HASH = _HASHER.hash("not a real password, only for constant-time refusals")


def new_token(prefix: str = TOKEN_PREFIX) -> str:
    return prefix + _secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
