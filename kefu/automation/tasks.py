"""Background work of the automation app (beat: ``automation-time-rules`` in settings)."""

from __future__ import annotations

from celery import shared_task

from kefu.automation.workflow.sweep import time_rules_sweep


@shared_task(name="automation.sweep_time_rules", ignore_result=True)
def sweep_time_rules() -> dict[str, int]:
    """Run every enabled time rule over the tickets it selects (each fires once per episode)."""
    result = time_rules_sweep()
    return {"started": result.started, "ended": result.ended, "fired": result.fired}
