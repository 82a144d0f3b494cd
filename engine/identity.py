"""Identity numbers of people (GB 11643) and employers (GB 32100): validated, then masked.

The old query systems used six digits of the ID number as a default password; here an identity
number is checked, stored once on the account, and shown only masked in lists, logs and exports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_RESIDENT_ID = re.compile(r"^[0-9]{17}[0-9X]$")
_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECK = "10X98765432"

# GB 32100-2015: 31 characters (digits and capitals without I, O, Z, S, V).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC = re.compile(rf"^[{_USCC_ALPHABET}]{{18}}$")


def is_resident_id(value: str) -> bool:
    """An 18-character citizen identity number whose GB 11643 check character matches."""
    value = value.strip().upper()
    if not _RESIDENT_ID.match(value):
        return False
    return resident_check_character(value[:17]) == value[17]


def resident_check_character(first_seventeen: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(first_seventeen, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK[total % 11]


def is_credit_code(value: str) -> bool:
    """An 18-character unified social credit code whose GB 32100 check character matches."""
    value = value.strip().upper()
    if not _USCC.match(value):
        return False
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31] == value[17]


def normalise_identity(value: str) -> str:
    return value.strip().upper()


def mask(value: str | None) -> str:
    """Keep the region (first 6) and the last 4 characters: enough to tell records apart."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


IDENTITY_KEYS = frozenset({"id_number", "identity_number", "identity", "credit_code"})


def mask_identities(data: Mapping[str, Any]) -> dict[str, Any]:
    """The data with every identity number in it masked: for logs, exports and documents."""
    return {key: mask(str(value)) if key in IDENTITY_KEYS and value else value for key, value in data.items()}
