from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationConfig(AppConfig):
    name = "kefu.automation"
    label = "automation"
    verbose_name = _("Automation")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kefu.automation import engine
        from kefu.automation.models import TimeRule, WorkflowRule
        from kefu.core.catalog_cache import catalog_changed
        from kefu.tickets.rules import register_rule_runner

        # Every ticket change-set reaches the workflow rules through the tickets app's hook.
        register_rule_runner(engine.on_ticket_change, wants=engine.wants_change)
        # Then the assignment rules (h9b's routing: assignment, macros' actions).
        from kefu.automation import routing

        routing.register()
        # The ticket lists and saved views compile their criteria with this engine (a seam: the
        # tickets app may not import the automation app).
        from kefu.automation.criteria import for_tickets

        for_tickets.register()

        # Rules are read by every ticket write: cached per process, reloaded when any rule changes.
        for model in (WorkflowRule, TimeRule):
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.save")
            post_delete.connect(
                catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.delete"
            )
