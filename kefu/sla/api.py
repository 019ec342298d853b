"""REST endpoints for SLA policies (``/sla-policies``)."""

from ninja import Router

router = Router(tags=["sla"])
