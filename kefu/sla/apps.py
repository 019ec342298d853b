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
