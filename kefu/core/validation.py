"""Small checks every domain needs, returning a yes or no so that services can collect all field errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def is_email(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True
