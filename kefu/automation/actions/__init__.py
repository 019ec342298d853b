"""The action registry: one module per action type, each registered on import.

Other apps add types with :func:`register_action` (``apply_macro``, notifications, webhooks …).
"""

from kefu.automation.actions import assign, comment, set_field, stop, tags  # noqa: F401  (registers them)
from kefu.automation.actions.base import (
    Action,
    ActionContext,
    Step,
    action_types,
    clean_actions,
    get_action,
    register_action,
)

__all__ = [
    "Action",
    "ActionContext",
    "Step",
    "action_types",
    "clean_actions",
    "get_action",
    "register_action",
]
