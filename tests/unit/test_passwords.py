"""Password rules: strong enough, never derived from the person, hashed with argon2."""

from __future__ import annotations

import pytest

from engine.errors import InputInvalid
from engine.passwords import HashCost, PasswordPolicy, check_strength, generate_password


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!", "10 to 128"),
        ("alllowercaseletters", "three of"),
        ("Zhang.San-2026!", "username"),
        ("Xx!491231002abc", "identity"),
        ("Password1234", "too common"),
    ],
)
def test_weak_or_derived_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(InputInvalid) as caught:
        check_strength(password, username="zhang.san", identity="11010519491231002X")
    assert any(reason in message for message in caught.value.fields["password"])


def test_generated_passwords_pass_and_differ() -> None:
    generated = {generate_password() for _ in range(20)}
    assert len(generated) == 20
    for password in generated:
        check_strength(password, username="someone", identity="11010519491231002X")


def test_hash_verifies_only_the_right_password() -> None:
    policy = PasswordPolicy(HashCost(time_cost=1, memory_kib=1024, parallelism=1))
    stored = policy.hash("Correct-Horse-7")
    assert stored.startswith("$argon2id$") and "Correct-Horse-7" not in stored
    assert policy.verify(stored, "Correct-Horse-7")
    assert not policy.verify(stored, "correct-horse-7")
    assert not policy.verify("not a hash", "Correct-Horse-7")
