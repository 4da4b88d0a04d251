"""Password rules: length, the shipped common-password list (case-insensitive), hashing."""

import pytest

from reviewtool.errors import Invalid
from reviewtool.services.passwords import (
    check_password_rules,
    common_passwords,
    hash_password,
    is_common,
    verify_password,
)

COMMON = ("That password is one of the most common ones, which attackers try first; choose "
          "another.")


def problems(password, field="password"):
    with pytest.raises(Invalid) as caught:
        check_password_rules(password, field)
    return caught.value.problems


def test_common_passwords_list_has_thousands_of_lowercase_entries_without_the_header():
    listed = common_passwords()
    assert len(listed) == 8354
    assert {"password", "12345678", "iloveyou", "qwertyuiop", "friend of emily"} <= listed
    assert all(entry == entry.lower() and len(entry) >= 8 for entry in listed)
    assert not any(entry.startswith("# ") for entry in listed)
    assert "#1stunna" in listed  # a password that starts with '#' is no comment


@pytest.mark.parametrize("password", ["password", "PassWord1", "QWERTYUIOP", " iloveyou ",
                                      "1q2w3e4r5t"])
def test_common_password_in_any_case_is_refused_in_plain_words(password):
    assert is_common(password) is True
    assert problems(password, "new_password") == [{"field": "new_password", "message": COMMON}]


@pytest.mark.parametrize("password", ["correct-horse-battery", "demo-password",
                                      "pq7-wz3k", "x" * 128])
def test_uncommon_password_of_8_to_128_characters_is_accepted(password):
    assert check_password_rules(password) is None


def test_password_of_7_characters_is_refused():
    assert problems("abcdefg") == [{"field": "password",
                                    "message": "Use at least 8 characters for the password."}]


def test_password_of_129_characters_is_refused():
    assert problems("y" * 129) == [{"field": "password",
                                    "message": "Use at most 128 characters for the password."}]


def test_password_not_text_is_refused_as_too_short():
    assert problems(None) == [{"field": "password",
                               "message": "Use at least 8 characters for the password."}]


def test_verify_password_right_wrong_and_no_account():
    stored = hash_password("pq7-wz3k-long")
    assert stored.startswith("$argon2id$")
    assert (verify_password(stored, "pq7-wz3k-long"), verify_password(stored, "nope-nope"),
            verify_password(None, "pq7-wz3k-long"), verify_password(stored, 12345678),
            verify_password(stored, "z" * 129)) == (True, False, False, False, False)
