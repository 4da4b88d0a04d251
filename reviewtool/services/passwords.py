"""Passwords: the rules a new one follows, hashing with argon2id, and checking one."""

from __future__ import annotations

import functools
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from reviewtool.errors import invalid

PASSWORD_MIN = 8
PASSWORD_MAX = 128
COMMON_FILE = "common-passwords.txt"  # in reviewtool/data
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased (read once per process)."""
    text = resources.files("reviewtool").joinpath("data", COMMON_FILE).read_text("utf-8")
    return frozenset(line.lower() for line in text.splitlines()
                     if line and not line.startswith("# "))


def is_common(password: str) -> bool:
    """True when `password` is on the common list, whatever its case."""
    return password.strip().lower() in common_passwords()


def check_password_rules(password: str, field: str = "password") -> None:
    """Raise Invalid unless the password has 8 to 128 characters and is not a common one."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise invalid(field, f"Use at least {PASSWORD_MIN} characters for the password.")
    if len(password) > PASSWORD_MAX:
        raise invalid(field, f"Use at most {PASSWORD_MAX} characters for the password.")
    if is_common(password):
        raise invalid(field, "That password is one of the most common ones, which attackers "
                             "try first; choose another.")


def hash_password(password: str) -> str:
    """The argon2id hash to store."""
    return _hasher.hash(password)


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when there is no account, so that checking takes the same
    time either way. Made on first use, not at import: argon2 is slow on purpose, and every
    worker and CLI process would pay for it at start."""
    return _hasher.hash("not-a-real-password")


def verify_password(stored: str | None, password: object) -> bool:
    """True when `password` matches the `stored` hash; with no hash (no such account) the same
    argon2 work is done against a dummy one and the answer is False."""
    if not isinstance(password, str) or len(password) > PASSWORD_MAX:
        return False
    try:
        _hasher.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def needs_rehash(stored: str) -> bool:
    """True when argon2's parameters moved on since `stored` was made."""
    return _hasher.check_needs_rehash(stored)
