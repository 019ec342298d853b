"""REST endpoints for webhook subscriptions (``/webhooks``) and their deliveries."""

from ninja import Router

router = Router(tags=["webhooks"])
