"""Outgoing webhooks: subscriptions per event type, signed deliveries with retries and a delivery log."""
