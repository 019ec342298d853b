from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "kefu.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kefu.core.catalog_cache import catalog_changed
        from kefu.sla.models.calendars import (
            BusinessCalendar,
            CalendarHoliday,
            CalendarWorkday,
            DepartmentCalendar,
        )

        # Cache invalidation only: calendars are catalogue data, read (as WorkingTime) by every ticket write.
        for model in (BusinessCalendar, CalendarHoliday, CalendarWorkday, DepartmentCalendar):
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.save")
            post_delete.connect(
                catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.delete"
            )

        # SLA policies (catalogue data too) and the timers: every ticket change-set reaches them through
        # the tickets app's rule hook, after the automation rules.
        from kefu.sla.models.policies import SlaEscalation, SlaPolicy, SlaTarget
        from kefu.sla.services import timers
        from kefu.tickets.rules import register_rule_runner

        for model in (SlaPolicy, SlaTarget, SlaEscalation):
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.save")
            post_delete.connect(
                catalog_changed, sender=model, dispatch_uid=f"catalog.{model.__name__}.delete"
            )
        register_rule_runner(timers.on_ticket_change, wants=timers.wants_change)
