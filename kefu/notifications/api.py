"""REST endpoints for notification rules, templates and the current agent's in-app notifications."""

from ninja import Router

router = Router(tags=["notifications"])
