"""Background work of the SLA app (beat: ``sla-escalations`` in settings)."""

from __future__ import annotations

from celery import shared_task

from kefu.sla.services.escalations import escalations_sweep


@shared_task(name="sla.sweep_escalations", ignore_result=True)
def sweep_escalations() -> dict[str, int]:
    """Record the breaches and fire the escalation levels whose time has come (each claimed, once)."""
    result = escalations_sweep()
    return {"checked": result.checked, "breached": result.breached, "escalated": result.escalated}
