"""Writing custom-field definitions and their pick-list values (the settings pages and the API)."""

from kefu.customfields.services.fields import (
    CHOICE_TYPES,
    MAX_CHOICE_LENGTH,
    MAX_CHOICES,
    custom_field_create,
    custom_field_update,
)
from kefu.customfields.services.options import (
    option_create,
    option_update,
    options_reorder,
)

__all__ = [
    "CHOICE_TYPES",
    "MAX_CHOICES",
    "MAX_CHOICE_LENGTH",
    "custom_field_create",
    "custom_field_update",
    "option_create",
    "option_update",
    "options_reorder",
]
