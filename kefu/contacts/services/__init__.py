"""Writes for contacts and accounts.

``contact_merge`` lives in :mod:`kefu.contacts.services.merge` and is not re-exported here: it moves
tickets through the tickets services, which themselves import this package to look up senders.
"""

from kefu.contacts.services.contacts import (
    account_create,
    account_get_or_create_by_name,
    account_update,
    contact_create,
    contact_get_or_create_by_email,
    contact_update,
    normalise_email,
)

__all__ = [
    "account_create",
    "account_get_or_create_by_name",
    "account_update",
    "contact_create",
    "contact_get_or_create_by_email",
    "contact_update",
    "normalise_email",
]
