import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from kefu import settings as kefu_settings


def test_passwords_are_hashed_with_argon2_in_every_installation():
    assert kefu_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_a_new_password_is_stored_as_an_argon2_hash():
    with override_settings(PASSWORD_HASHERS=kefu_settings.PASSWORD_HASHERS):
        assert make_password("correct-horse-battery").startswith("argon2$argon2id$")
