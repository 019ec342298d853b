"""Plugs assignment rules and macros into the machinery: the rule hook and the action registry.

Called from ``AutomationConfig.ready`` after the workflow engine registered its runner, so that on a new
ticket the workflow rules run first (they may set the department or a team) and the assignment rules
then hand out whatever is still unassigned.
"""

from __future__ import annotations

from kefu.tickets.rules import register_rule_runner


def register() -> None:
    # Importing the modules registers their actions: assign by an assignment rule, reply, apply_macro.
    from kefu.automation.assignment import action  # noqa: F401
    from kefu.automation.assignment.engine import run_assignment_rules, wants_change
    from kefu.automation.macros import actions  # noqa: F401

    register_rule_runner(run_assignment_rules, wants=wants_change)

    # The hook reads the enabled rules from the catalogue cache: any change to a rule reloads them.
    from django.db.models.signals import post_delete, post_save

    from kefu.automation.models import AssignmentRule
    from kefu.core.catalog_cache import catalog_changed

    post_save.connect(catalog_changed, sender=AssignmentRule, dispatch_uid="catalog.AssignmentRule.save")
    post_delete.connect(catalog_changed, sender=AssignmentRule, dispatch_uid="catalog.AssignmentRule.delete")
