"""Writes for custom modules: definitions and access (administrators), records and their links (agents)."""

from kefu.modules.services.definitions import (
    module_access_set,
    module_create,
    module_field_add,
    module_field_update,
    module_update,
)
from kefu.modules.services.records import (
    record_create,
    record_delete,
    record_ticket_set,
    record_update,
)
from kefu.modules.services.views import record_view_delete, record_view_save

__all__ = [
    "module_access_set",
    "module_create",
    "module_field_add",
    "module_field_update",
    "module_update",
    "record_create",
    "record_delete",
    "record_ticket_set",
    "record_update",
    "record_view_delete",
    "record_view_save",
]
