"""Passwords: argon2 hashes, strength rules, and random passwords for new accounts.

No password is ever derived from a person's data: the rules refuse any that contains the
username or six digits in a row of the identity number, which is how the old default passwords
were made. Nor may it be one that attackers try first: the 30,000 passwords most often found in
breaches (the list zxcvbn ships, from Xato's corpus of ten million leaked passwords) and common
Chinese ones, as they are or with digits and symbols stuck on; and the zxcvbn estimator, told
the username, the identity number and those Chinese words, must rate it at least MIN_SCORE of 4
(about 10^10 guesses).
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from engine.errors import ErrorCode, InputInvalid, Reason

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: "safely unguessable: moderate protection from an offline slow-hash attack"
# Words Chinese passwords are made of (pinyin, and the numbers that say "I love you, for ever"),
# which zxcvbn's English lists do not know: it is told them as words an attacker would try first.
CHINESE_WORDS = (
    "woaini",
    "aini",
    "woaiwojia",
    "wodemima",
    "mima",
    "nihao",
    "zhongguo",
    "beijing",
    "shanghai",
    "baobei",
    "laopo",
    "laogong",
    "xiaobao",
    "zhangwei",
    "wangwei",
    "liwei",
    "1314",
    "520",
    "5201314",
    "1314520",
    "147258369",
    "123654789",
    "woaini1314",
    "dearbook",
    "xiazhili",
)
BREACHED = frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(CHINESE_WORDS)
COMMON = frozenset(
    {
        "password123",
        "password1234",
        "qwertyuiop",
        "1234567890",
        "12345678910",
        "abcdefghij",
        "iloveyou123",
        "admin12345",
        "welcome123",
        "woaini1314",
        "qwerty12345",
        "aa123456789",
        "a1234567890",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "zaq12wsxcde",
        "passw0rd123",
        "p@ssw0rd123",
    }
)


@dataclass(frozen=True)
class HashCost:
    """argon2id work factors; the defaults are argon2-cffi's (RFC 9106 low-memory profile)."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4


class PasswordPolicy:
    """Hashes and checks passwords with one configured cost."""

    def __init__(self, cost: HashCost | None = None) -> None:
        cost = cost or HashCost()
        self._hasher = PasswordHasher(
            time_cost=cost.time_cost, memory_cost=cost.memory_kib, parallelism=cost.parallelism
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(stored_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def verify_or_dummy(self, stored_hash: str | None, password: str) -> bool:
        """One real check, against a dummy hash when there is no account: an unknown username
        takes the time a known one does, so timing cannot tell them apart."""
        return self.verify(stored_hash or self._dummy, password) and stored_hash is not None

    @property
    def _dummy(self) -> str:
        if not hasattr(self, "_dummy_hash"):
            self._dummy_hash = self.hash(secrets.token_urlsafe(16))
        return self._dummy_hash


def check_strength(password: str, *, username: str, identity: str | None = None) -> None:
    """Raise InputInvalid (field 'password') when the password is weak or derived."""
    problems: list[str] = []  # Reasons
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        problems.append(
            Reason(
                ErrorCode.PASSWORD_LENGTH,
                f"must be {MIN_LENGTH} to {MAX_LENGTH} characters long",
                min=MIN_LENGTH,
                max=MAX_LENGTH,
            )
        )
    classes = sum(
        any(c in group for c in password)
        for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits, string.punctuation)
    )
    if classes < 3:
        problems.append(
            Reason(
                ErrorCode.PASSWORD_CLASSES,
                "must mix at least three of: lower case, upper case, digits, symbols",
            )
        )
    lowered = password.lower()
    if username and username.lower() in lowered:
        problems.append(Reason(ErrorCode.PASSWORD_HAS_USERNAME, "must not contain the username"))
    if identity and any(identity[i : i + 6] in password for i in range(len(identity) - 5)):
        problems.append(
            Reason(ErrorCode.PASSWORD_HAS_IDENTITY, "must not contain part of the identity number")
        )
    problems += _guessability(password, [username, identity or "", *CHINESE_WORDS])
    if problems:
        raise InputInvalid(
            "the password is not strong enough", {"password": problems}, code=ErrorCode.PASSWORD_WEAK
        )


def _guessability(password: str, known: list[str]) -> list[str]:
    """What makes a password one of the first an attacker tries (zxcvbn only reads the first 100
    characters of a password, which is where a guessable one gives itself away anyway)."""
    lowered = password.lower()
    core = lowered.strip(string.digits + string.punctuation + " ")
    if lowered in COMMON or lowered in BREACHED:
        return [
            Reason(
                ErrorCode.PASSWORD_COMMON,
                "is too common: it is among the passwords most often found in breaches",
            )
        ]
    if len(core) >= 4 and core in BREACHED:
        return [
            Reason(
                ErrorCode.PASSWORD_COMMON_ADDED,
                "is too common: a common password with digits or symbols added",
            )
        ]
    score = int(zxcvbn(password[:100], user_inputs=[word for word in known if word])["score"])
    if score < MIN_SCORE:
        guessable = f"is too easy to guess (strength {score} of 4, at least {MIN_SCORE} needed)"
        return [Reason(ErrorCode.PASSWORD_GUESSABLE, guessable, score=score, min=MIN_SCORE)]
    return []


def generate_password() -> str:
    """A random 16-character password that passes check_strength (for demo and new accounts)."""
    alphabet = string.ascii_letters + string.digits + "-_.!@#%"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(16))
        classes = [
            set(candidate) & set(g) for g in (string.ascii_lowercase, string.ascii_uppercase, string.digits)
        ]
        if all(classes):
            return candidate
