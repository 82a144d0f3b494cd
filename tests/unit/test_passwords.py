"""Password rules: strong enough, never derived from the person, hashed with argon2."""

from __future__ import annotations

import pytest

from engine.errors import InputInvalid
from engine.passwords import BREACHED, HashCost, PasswordPolicy, check_strength, generate_password


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!", "10 to 128"),
        ("alllowercaseletters", "three of"),
        ("Zhang.San-2026!", "username"),
        ("Xx!491231002abc", "identity"),
        ("Password1234", "too common"),
        ("Password123!", "too common"),  # the examples, both accepted before
        ("Abcdef1234", "too easy to guess"),
        ("Qwerty123456!", "too common"),
        ("Woaini5201314", "too common"),  # 我爱你一生一世: Chinese passwords too
        ("Sunshine-2024", "too common"),
        ("Aa1!Aa1!Aa1!Aa1!", "too easy to guess"),  # a pattern, however long
    ],
)
def test_weak_or_derived_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(InputInvalid) as caught:
        check_strength(password, username="zhang.san", identity="11010519491231002X")
    assert any(reason in message for message in caught.value.fields["password"])


def test_the_breached_list_is_a_real_one() -> None:
    assert len(BREACHED) >= 30_000
    assert {"123456", "password", "dragon", "woaini1314"} <= BREACHED


def test_a_long_unusual_password_passes() -> None:
    check_strength("Correct-Horse-7", username="zhang.san", identity="11010519491231002X")
    check_strength("拼音不是密码-Tiger-Lamp", username="zhang.san")


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
