"""The SLA app's models: business-hours calendars (calendars.py) and SLA policies (policies.py)."""

from kefu.sla.models.calendars import (
    WEEKDAY_KEYS,
    BusinessCalendar,
    CalendarHoliday,
    CalendarWorkday,
    DepartmentCalendar,
    Weekday,
)
from kefu.sla.models.policies import (
    SlaEscalation,
    SlaEscalationFire,
    SlaMetrics,
    SlaPolicy,
    SlaTarget,
    SlaTimer,
    Target,
)

__all__ = [
    "WEEKDAY_KEYS",
    "BusinessCalendar",
    "CalendarHoliday",
    "CalendarWorkday",
    "DepartmentCalendar",
    "SlaEscalation",
    "SlaEscalationFire",
    "SlaMetrics",
    "SlaPolicy",
    "SlaTarget",
    "SlaTimer",
    "Target",
    "Weekday",
]
