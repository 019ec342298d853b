from django.test import override_settings

from kefu.core.fields import decrypt, encrypt


def test_encrypted_values_round_trip_and_differ_each_time():
    first, second = encrypt("s3cret 密码"), encrypt("s3cret 密码")
    assert first != second
    assert first.startswith("aesgcm:")
    assert decrypt(first) == decrypt(second) == "s3cret 密码"


def test_a_value_sealed_under_another_secret_key_reads_as_empty():
    with override_settings(SECRET_KEY="another key"):
        sealed = encrypt("s3cret")
    assert decrypt(sealed) == ""


def test_plain_values_from_before_encryption_read_as_they_are():
    assert decrypt("legacy") == "legacy"
